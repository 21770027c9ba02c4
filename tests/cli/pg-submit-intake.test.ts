import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgCluster } from '../support/postgres';
import { runCli } from './helpers';

/**
 * `scan --queue --submit-only` returns once the batch is in the queue. Intake streams a PDF's
 * page 1 into the batch first and the rest after counting them; a process that exits after the
 * first chunk left the rest recorded as an unfinished intake that only a later process on the
 * same host would take over, so the workers never saw those pages.
 */
let tmp: string;
let cluster: PgCluster;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'scandesk-pg-submit-'));
  cluster = await startPostgres();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

async function textPdf(pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont(StandardFonts.Helvetica);
  for (let i = 1; i <= pages; i++) doc.addPage([595, 842]).drawText(`Page ${i}`, { x: 72, y: 760, size: 14, font });
  // A classic cross-reference table: intake reads the declared /Count and streams page 1 first.
  return doc.save({ useObjectStreams: false });
}

describe('scan --queue --submit-only', () => {
  it('puts every page of a multi-page PDF in the queue before it exits', async () => {
    const url = await cluster.createDatabase();
    expect((await runCli(['queue', 'init', url])).code).toBe(0);
    const input = join(tmp, 'in');
    mkdirSync(input);
    writeFileSync(join(input, 'letters.pdf'), await textPdf(40));

    const sub = await runCli(['scan', input, '--queue', url, '--submit-only', '--db', join(tmp, 'desk', 'p.sqlite')]);
    expect(sub.code, sub.stderr).toBe(0);
    const batchId = Number(/Batch (\d+) is in/.exec(sub.stdout)?.[1]);
    expect(sub.stdout).toContain(': 40 pages.');

    const db = new pg.Client({ connectionString: url });
    await db.connect();
    try {
      const items = await db.query(`SELECT page FROM items WHERE batch_id = $1 ORDER BY page`, [batchId]);
      expect(items.rows.map((r: { page: number }) => r.page)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
      const batch = await db.query(`SELECT intake_json FROM batches WHERE id = $1`, [batchId]);
      expect(batch.rows[0].intake_json).toBeNull();
    } finally {
      await db.end();
    }
  }, 120_000);
});
