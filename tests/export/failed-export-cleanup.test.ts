import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExport } from '../../electron/core/export';
import { onceSource, sampleItems } from './fixtures';

/**
 * A file stream opens its file asynchronously. An export whose source failed right after the first
 * page removed its temporary and spool files while their streams were still opening, and the
 * opens then created them: ".scandesk-….partial.pages.ndjson" files were left in the user's
 * folder (seen in a full run of tests/export/xlsx.test.ts). A race, so it is tried many times.
 */
const root = mkdtempSync(join(tmpdir(), 'scandesk-export-cleanup-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('a failed export', () => {
  for (const format of ['xlsx', 'csv', 'json'] as const) {
    it(`leaves nothing behind in the folder (${format})`, async () => {
      const left: string[] = [];
      for (let i = 0; i < 100; i++) {
        const dir = mkdtempSync(join(root, `${format}-`));
        const failing = {
          batch: onceSource([]).batch,
          *items() {
            yield sampleItems('/d')[0]!;
            throw new Error('database is locked');
          },
        };
        await expect(writeExport(format, join(dir, `out.${format}`), failing)).rejects.toThrow('database is locked');
        left.push(...readdirSync(dir));
      }
      expect(left).toEqual([]);
    }, 60_000);
  }
});
