import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { KeychainBackend } from '../credentials/keychain';
import { PRIVATE_FILE_MODE } from '../private-files';
import { KEYCHAIN_SERVICE } from '../credentials/store';
import type { QueueAddress } from './address';

/**
 * Where a desk keeps its shared queue: the address (no password) and this machine's path to the
 * blob store in `<profile dir>/shared-queue.json`; the password in the OS keychain, under one
 * account bound to the endpoint it was typed for (a changed address asks for it again).
 */
export const SHARED_QUEUE_FILE = 'shared-queue.json';
const PASSWORD_ACCOUNT = 'shared-queue.password';

const Saved = z.object({ url: z.string(), endpoint: z.string(), blobs: z.string().nullable() });
export type SavedQueue = z.infer<typeof Saved>;

export class SharedQueueConfig {
  private readonly file: string;

  constructor(
    dataDir: string,
    private readonly keychain: KeychainBackend,
  ) {
    this.file = join(dataDir, SHARED_QUEUE_FILE);
  }

  get(): SavedQueue | null {
    try {
      return Saved.parse(JSON.parse(readFileSync(this.file, 'utf8')));
    } catch {
      return null;
    }
  }

  save(address: QueueAddress, blobs: string | null): void {
    this.write(JSON.stringify({ url: address.url, endpoint: address.endpoint, blobs }, null, 2));
  }

  async forget(): Promise<void> {
    this.write('null');
    await this.deletePassword();
  }

  private write(text: string): void {
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: PRIVATE_FILE_MODE });
    renameSync(tmp, this.file);
  }

  /** The password saved for `endpoint`, or null (none saved, or saved for another endpoint). */
  async password(endpoint: string): Promise<string | null> {
    const raw = await this.keychain.getPassword(KEYCHAIN_SERVICE, PASSWORD_ACCOUNT);
    if (!raw) return null;
    const saved = JSON.parse(raw) as { endpoint?: string; password?: string };
    return saved.endpoint === endpoint && typeof saved.password === 'string' ? saved.password : null;
  }

  async setPassword(endpoint: string, password: string): Promise<void> {
    await this.keychain.setPassword(KEYCHAIN_SERVICE, PASSWORD_ACCOUNT, JSON.stringify({ endpoint, password }));
  }

  async deletePassword(): Promise<void> {
    try {
      await this.keychain.deletePassword(KEYCHAIN_SERVICE, PASSWORD_ACCOUNT);
    } catch {
      // no keychain: nothing was saved there
    }
  }
}
