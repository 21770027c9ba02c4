import { describe, expect, it } from 'vitest';
import { ITEM_FILTERS, badgeFor, fileName, filterLabel, pageLabel, progressParts, reviewState, throughput } from './items';
import { en } from '../i18n/en';

describe('badgeFor', () => {
  it('counts codes on a finished page', () => {
    expect(badgeFor({ status: 'done', detectionCount: 3, error: null })).toEqual({ kind: 'codes', label: 'badge.codes', count: 3 });
    expect(badgeFor({ status: 'done', detectionCount: 1, error: null })).toEqual({ kind: 'codes', label: 'badge.one', count: 1 });
  });
  it('says none on a finished page without codes', () => {
    expect(badgeFor({ status: 'done', detectionCount: 0, error: null }).kind).toBe('none');
  });
  it('says error for failed pages, whatever the count', () => {
    expect(badgeFor({ status: 'failed', detectionCount: 0, error: { code: 'IMAGE_DECODE', message: 'x' } }).kind).toBe('error');
  });
  it('shows pending and running pages as such', () => {
    expect(badgeFor({ status: 'pending', detectionCount: 0, error: null }).kind).toBe('pending');
    expect(badgeFor({ status: 'running', detectionCount: 0, error: null }).kind).toBe('running');
    expect(badgeFor({ status: 'skipped', detectionCount: 0, error: null }).kind).toBe('skipped');
  });
});

describe('filters', () => {
  it('each have a label in the dictionary', () => {
    for (const f of ITEM_FILTERS) expect(en[filterLabel(f)]).toBeTruthy();
  });
});

describe('labels', () => {
  it('take the file name from POSIX and Windows paths', () => {
    expect(fileName('/a/b/c.png')).toBe('c.png');
    expect(fileName('C:\\scans\\d.jpg')).toBe('d.jpg');
    expect(fileName('e.webp')).toBe('e.webp');
  });
  it('add the page number only for multi-page files', () => {
    expect(pageLabel({ path: '/x/a.tif', page: 2, pageCount: 5 })).toBe('a.tif · p2/5');
    expect(pageLabel({ path: '/x/a.png', page: 1, pageCount: 1 })).toBe('a.png');
  });
});

describe('progressParts', () => {
  it('splits the bar into done and failed fractions; ignored files are not pages', () => {
    const p = progressParts({ total: 10, pending: 6, done: 3, failed: 1, cancelled: 0, skipped: 4, codes: 7 });
    expect(p.done).toBeCloseTo(0.3);
    expect(p.failed).toBeCloseTo(0.1);
    expect(p.finished).toBe(false);
    expect(p.settled).toBe(4);
  });
  it('is finished when nothing is waiting, and safe for empty batches', () => {
    expect(progressParts({ total: 2, pending: 0, done: 1, failed: 1, cancelled: 0, skipped: 0, codes: 0 }).finished).toBe(true);
    expect(progressParts({ total: 0, pending: 0, done: 0, failed: 0, cancelled: 0, skipped: 0, codes: 0 })).toEqual({ done: 0, failed: 0, finished: true, settled: 0 });
  });
});

describe('reviewState and throughput', () => {
  it('says whether a page still has codes to review', () => {
    expect(reviewState({ detectionCount: 0, reviewPending: 0 })).toBe('none');
    expect(reviewState({ detectionCount: 3, reviewPending: 1 })).toBe('open');
    expect(reviewState({ detectionCount: 3, reviewPending: 0 })).toBe('done');
  });
  it('measures pages per second over the recent window and the time left', () => {
    expect(throughput([], 100)).toBeNull();
    expect(throughput([{ at: 0, settled: 0 }], 100)).toBeNull();
    const r = throughput([{ at: 0, settled: 0 }, { at: 10_000, settled: 20 }, { at: 20_000, settled: 60 }], 100, 12_000)!;
    // Only the last 12 s: 40 pages in 10 s.
    expect(r.perSecond).toBeCloseTo(4);
    expect(r.etaSeconds).toBeCloseTo(10);
  });
});
