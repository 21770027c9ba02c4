import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMediaCache } from '../../electron/core/api';
import { openDatabase } from '../../electron/core/store/db';

/**
 * Issue 12 item 7: the queue database (with its -wal and -shm) and the media cache hold
 * personal data, so they are created readable by their owner only, whatever the umask.
 */
let dir: string;
let umask: number;
const mode = (p: string) => statSync(p).mode & 0o777;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'scandesk-private-'));
  umask = process.umask(0o022); // the usual desktop umask: files 644, folders 755 unless asked otherwise
});

afterAll(() => {
  process.umask(umask);
  rmSync(dir, { recursive: true, force: true });
});

describe('files with personal data are the owner\'s only', () => {
  it('a new database, its journal files and the folder created for it', () => {
    const db = openDatabase(join(dir, 'new-profile', 'scandesk.db'));
    db.prepare(`INSERT INTO batches (name, created_at, status, plan_json) VALUES ('Invoices', 0, 'done', '{}')`).run();
    try {
      expect(mode(join(dir, 'new-profile'))).toBe(0o700);
      expect(mode(join(dir, 'new-profile', 'scandesk.db'))).toBe(0o600);
      expect(mode(join(dir, 'new-profile', 'scandesk.db-wal'))).toBe(0o600);
      expect(mode(join(dir, 'new-profile', 'scandesk.db-shm'))).toBe(0o600);
    } finally {
      db.close();
    }
  });

  it('an existing database made readable by others (an older version) is tightened; its folder is left alone', () => {
    const folder = join(dir, 'old-profile');
    mkdirSync(folder, { mode: 0o755 });
    chmodSync(folder, 0o755);
    openDatabase(join(folder, 'scandesk.db')).close();
    chmodSync(join(folder, 'scandesk.db'), 0o644);
    writeFileSync(join(folder, 'scandesk.db-wal'), '');
    chmodSync(join(folder, 'scandesk.db-wal'), 0o664);
    const db = openDatabase(join(folder, 'scandesk.db'));
    db.close();
    expect(mode(join(folder, 'scandesk.db'))).toBe(0o600);
    expect(mode(folder)).toBe(0o755); // a folder the user made (say ~/Documents) is theirs to set
  });

  it('the media cache folder and the previews in it', async () => {
    const image = join(dir, 'page.png');
    await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } }).png().toFile(image);
    const cacheDir = join(dir, 'cache', 'media');
    const cache = createMediaCache({ dir: cacheDir, lookup: () => ({ path: image, page: 1 }) });
    await cache.get('thumb', 1);
    expect(mode(join(dir, 'cache'))).toBe(0o700);
    expect(mode(cacheDir)).toBe(0o700);
    const { readdirSync } = await import('node:fs');
    const files = readdirSync(cacheDir);
    expect(files).toHaveLength(1);
    expect(mode(join(cacheDir, files[0]!))).toBe(0o600);
  });
});
