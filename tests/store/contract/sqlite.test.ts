import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { SqliteStore } from '../../../electron/core/store/sqlite-store';
import { storeContract } from './store-contract';

const dir = mkdtempSync(join(tmpdir(), 'scandesk-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let opened = 0;
storeContract('SqliteStore', {
  async open() {
    const path = join(dir, `profile-${++opened}.db`);
    return { store: SqliteStore.open(path), openAnother: async () => SqliteStore.open(path) };
  },
});
