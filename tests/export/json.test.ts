import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatFromPath, writeExport } from '../../electron/core/export';
import { GS, onceSource, sampleItems } from './fixtures';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-json-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('JSON export', () => {
  it('has exactly the documented shape', async () => {
    const { path, pages, codes } = await writeExport('json', join(dir, 'out.json'), onceSource(sampleItems('/s')));
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(Object.keys(doc)).toEqual(['items']);
    expect(doc.items).toHaveLength(5);
    expect([pages, codes]).toEqual([5, 10]);
    for (const item of doc.items) {
      expect(Object.keys(item).sort()).toEqual(['detections', 'error', 'page', 'path', 'status']);
      expect(isAbsolute(item.path)).toBe(true);
      expect(typeof item.page).toBe('number');
      if (item.error !== null) expect(Object.keys(item.error).sort()).toEqual(['code', 'message']);
      for (const d of item.detections) {
        expect(typeof d.symbology).toBe('string');
        expect(typeof d.text).toBe('string');
        expect(Object.keys(d.geometry).sort()).toEqual(['kind', 'points']);
        for (const p of d.geometry.points) expect(Object.keys(p).sort()).toEqual(['x', 'y']);
      }
    }
    const [first, second, blank, broken] = doc.items;
    expect(first).toMatchObject({ path: '/s/发票/扫描 001.jpg', page: 1, status: 'done', error: null });
    expect(first.detections[0]).toMatchObject({
      symbology: 'QRCode',
      text: '中文二维码内容：你好世界',
      geometry: { kind: 'quad', points: [{ x: 10.25, y: 20 }, { x: 110, y: 20.04 }, { x: 110, y: 120 }, { x: 10, y: 120 }] },
      engine: 'local',
      review: 'accepted',
    });
    expect(first.detections[1]).toMatchObject({ text: '0012345678905', geometry: { kind: 'none', points: [] } });
    expect(second.detections[0].text).toBe('=HYPERLINK("http://evil.example","x")');
    expect(second.detections[4]).toMatchObject({ text: 'wrong value', correctedText: '000777', value: '000777' });
    expect(second.detections[5].text).toBe(`]d2010123456789012${GS}10ABC`);
    expect(blank).toMatchObject({ status: 'done', detections: [] });
    expect(broken).toEqual({
      path: '/s/broken.jpg',
      page: 1,
      status: 'failed',
      error: { code: 'IMAGE_DECODE', message: 'The image is corrupt or truncated: broken.jpg' },
      detections: [],
    });
  });

  it('acceptedOnly keeps every page and only accepted detections', async () => {
    const { path } = await writeExport('json', join(dir, 'acc.json'), onceSource(sampleItems('/s')), { acceptedOnly: true });
    const doc = JSON.parse(readFileSync(path, 'utf8'));
    expect(doc.items.map((i: { detections: unknown[] }) => i.detections.length)).toEqual([2, 2, 0, 0, 0]);
    for (const i of doc.items) for (const d of i.detections) expect(d.review).toBe('accepted');
  });

  it('writes an empty batch as an empty list', async () => {
    const { path } = await writeExport('json', join(dir, 'empty.json'), onceSource([]));
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual({ items: [] });
  });

  it('returns an absolute path and picks formats by extension', async () => {
    const { path } = await writeExport('json', join(dir, 'rel.json'), onceSource([]));
    expect(isAbsolute(path)).toBe(true);
    expect(formatFromPath('a/b/Results.XLSX')).toBe('xlsx');
    expect(formatFromPath('r.csv')).toBe('csv');
    expect(formatFromPath('r.json')).toBe('json');
    expect(formatFromPath('r.txt')).toBeNull();
    expect(formatFromPath('results')).toBeNull();
  });
});
