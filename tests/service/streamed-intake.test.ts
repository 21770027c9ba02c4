import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BatchSummary } from '../../shared/batch';
import { LocalEngine } from '../../electron/core/engines/local';
import { expandPaths, expandPathsInChunks } from '../../electron/core/intake';
import type { IntakeResult } from '../../electron/core/intake/types';
import { openScanService } from '../../electron/core/service';
import type { ScanService } from '../../electron/core/service-types';
import { SqliteStore } from '../../electron/core/store/sqlite-store';
import { LONG_PDF_CODE, writeLongPdf } from './support/long-pdf';

/**
 * Issue 10: pages stream into the queue as a PDF is expanded. A batch starts on the first
 * pages intake knows (a long PDF's page 1, before pdf.js has counted the file), shows
 * `expanding` and a growing total meanwhile, never settles before every page is in, and an
 * intake cut short by a killed process is finished by the next process on the profile, with no
 * page lost or added twice. Real PDFs (pdf-lib), real intake, real SQLite, the real decoder.
 */
const PAGES = 12;
let dir: string;
let pdf: string;
const engines: LocalEngine[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-stream-'));
  pdf = join(dir, 'long scan.pdf');
  await writeLongPdf(pdf, PAGES);
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.close()));
  rmSync(dir, { recursive: true, force: true });
});

function engine(): LocalEngine {
  const e = new LocalEngine({ size: 1 });
  engines.push(e);
  return e;
}

async function pagesInOrder(svc: ScanService, batchId: number): Promise<Array<[number, string, number]>> {
  const { items } = await svc.listItems(batchId, { limit: 1000 });
  const out: Array<[number, string, number]> = [];
  for (const it of items) out.push([it.page, it.status, (await svc.getItem(it.id)).detections.filter((d) => d.text === LONG_PDF_CODE).length]);
  return out;
}

const everyPageOnce = Array.from({ length: PAGES }, (_, i) => [i + 1, 'done', 1]);

describe('intake in chunks', () => {
  it("gives a long PDF's page 1 alone first, then the others in chunks, in order: the same pages as expandPaths", async () => {
    const chunks: IntakeResult[] = [];
    for await (const c of expandPathsInChunks([pdf], { chunk: 5 })) chunks.push(c);
    const sizes = chunks.map((c) => c.items.length).filter((n) => n > 0);
    expect(sizes).toEqual([1, 5, 5, 1]);
    expect(chunks.flatMap((c) => c.items)).toEqual((await expandPaths([pdf])).items);
  });

  it('a PDF past the page cap stays one failed item, without a page 1 queued early', async () => {
    const chunks: IntakeResult[] = [];
    for await (const c of expandPathsInChunks([pdf], { chunk: 5, maxPagesPerFile: 5 })) chunks.push(c);
    const items = chunks.flatMap((c) => c.items);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ page: 1, error: { code: 'IMAGE_TOO_LARGE' } });
  });
});

describe('a batch runs while its pages are still being added', () => {
  it('starts on page 1, shows expanding with a growing total, holds open, then takes every page', async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const svc = await openScanService({
      dbPath: join(dir, 'gated.sqlite'),
      engines: [engine()],
      // Real intake; after its first chunk it waits for the test (a long file still being counted).
      intakeChunks: async function* (paths, signal) {
        let n = 0;
        for await (const chunk of expandPathsInChunks(paths, { signal, chunk: 5 })) {
          if (n++ === 1) await gate;
          yield chunk;
        }
      },
    });
    try {
      const firstDone = new Promise<number>((res) => {
        const on = (p: { batchId: number; counts: BatchSummary['counts'] }) => {
          if (p.counts.done < 1) return;
          svc.off('progress', on);
          res(p.batchId);
        };
        svc.on('progress', on);
      });
      const { batch } = await svc.createBatch({ paths: [pdf], plan: { engine: 'local', task: 'codes' } });
      expect(batch).toMatchObject({ status: 'running', expanding: true, counts: { total: 1 } });
      expect(await firstDone).toBe(batch.id);
      // Page 1 is decoded; the batch has nothing left to claim but does not settle: more pages come.
      expect(await svc.getBatch(batch.id)).toMatchObject({ status: 'running', expanding: true, counts: { total: 1, done: 1 } });
      release();
      const settled = await svc.whenSettled(batch.id);
      expect(settled.status).toBe('done');
      expect(settled.expanding).toBeUndefined();
      expect(settled.counts).toMatchObject({ total: PAGES, done: PAGES, failed: 0 });
      expect(await pagesInOrder(svc, batch.id)).toEqual(everyPageOnce);
    } finally {
      release();
      await svc.close();
    }
  }, 120_000);
});

describe('an intake cut short by a killed process', () => {
  it('is finished by the next process on the profile: every page once, in order, then the batch settles', async () => {
    const dbPath = join(dir, 'killed.sqlite');
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(import.meta.dirname, 'support/intake-child.ts'), dbPath, pdf], {
      cwd: resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
    const ready = await new Promise<string>((res, rej) => {
      child.stdout!.on('data', (b: Buffer) => {
        out += b.toString();
        const m = /READY (\d+) (\d+)/.exec(out);
        if (m) res(out);
      });
      child.on('exit', (code) => rej(new Error(`child exited ${code} before READY: ${out}\n${err}`)));
    });
    const exited = new Promise((r) => child.on('exit', r));
    child.kill('SIGKILL');
    await exited;
    const [, id, total] = /READY (\d+) (\d+)/.exec(ready)!.map(Number) as [number, number, number];
    expect(total).toBe(1);

    // What the killed process left: page 1 only, the intake recorded as under way.
    const left = SqliteStore.open(dbPath);
    expect(await left.getBatch(id)).toMatchObject({ expanding: true, counts: { total: 1 } });
    expect((await left.unfinishedIntakes()).map((u) => u.batchId)).toEqual([id]);
    await left.close();

    const svc = await openScanService({ dbPath, engines: [engine()] });
    try {
      const settled = await svc.whenSettled(id);
      expect(settled).toMatchObject({ status: 'done', counts: { total: PAGES, done: PAGES, failed: 0 } });
      expect(settled.expanding).toBeUndefined();
      expect(await pagesInOrder(svc, id)).toEqual(everyPageOnce);
    } finally {
      await svc.close();
    }
    // The finished intake is not taken up again by a later start.
    const after = SqliteStore.open(dbPath);
    expect(await after.unfinishedIntakes()).toEqual([]);
    await after.close();
  }, 120_000);
});
