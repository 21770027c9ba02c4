import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readHeldSourceFile, readSourceFile } from '../../electron/core/imaging/source-file';

/** A page's file is read whole, once, and hashed over exactly the bytes returned. */
const tmp = mkdtempSync(join(tmpdir(), 'scandesk-source-file-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('source files', () => {
  it('returns every byte and the sha256 of them, small files and files larger than a read chunk', async () => {
    for (const size of [0, 1, 65_537, 17 * 1024 * 1024 + 3]) {
      const bytes = randomBytes(size);
      const path = join(tmp, `f${size}.bin`);
      writeFileSync(path, bytes);
      for (const read of [readSourceFile, readHeldSourceFile]) {
        const f = await read(path, path);
        expect(f.bytes.length, `${size} bytes`).toBe(size);
        expect(Buffer.compare(f.bytes, bytes)).toBe(0);
        expect(f.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      }
    }
  });

  it('a held multi-page file changed on disk is read again', async () => {
    const path = join(tmp, 'held.bin');
    writeFileSync(path, Buffer.from('first version'));
    expect((await readHeldSourceFile(path, path)).bytes.toString()).toBe('first version');
    writeFileSync(path, Buffer.from('second, longer version'));
    expect((await readHeldSourceFile(path, path)).bytes.toString()).toBe('second, longer version');
  });
});
