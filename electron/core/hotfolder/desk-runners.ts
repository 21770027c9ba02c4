import type { ScanService } from '../service-types';
import { HotFolderRunner } from './runner';

/**
 * A desk's hot folders: those of its own profile, always watched, and, while the desk has a
 * shared queue open (shared-queue/desk.ts), the queue's, watched too where this machine sees the
 * folder and no other process watches it (one watcher per folder; each file claimed in the
 * queue's database). Settings' changes sync both.
 */
export class DeskHotFolders {
  private readonly local: HotFolderRunner;
  private shared: HotFolderRunner | null = null;
  private closed = false;

  constructor(
    local: ScanService,
    private readonly options: { stabilityMs?: number; onError?: (message: string) => void } = {},
  ) {
    this.local = new HotFolderRunner(local, options);
  }

  async sync(): Promise<void> {
    await Promise.all([this.local.sync(), this.shared?.sync()]);
  }

  /** The shared queue's service once it opens; null before it closes (its watchers stop first). */
  async attach(service: ScanService | null): Promise<void> {
    const before = this.shared;
    this.shared = null;
    await before?.close();
    if (!service || this.closed) return;
    this.shared = new HotFolderRunner(service, { ...this.options, onError: (m) => this.options.onError?.(`shared queue: ${m}`) });
    await this.shared.sync();
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([this.local.close(), this.shared?.close()]);
  }
}
