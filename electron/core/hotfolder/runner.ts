import type { ScanService } from '../service-types';
import { HotFolderWatcher } from './watcher';

/**
 * Keeps one watcher per enabled hot folder of a profile running for as long as an app (the
 * desktop app, the browser host) is open: started with the app, so a restart resumes, and
 * brought in line after every change in Settings. A folder another process watches (a CLI
 * `scandesk watch`) is left to it and tried again at the next sync.
 */
export class HotFolderRunner {
  private readonly watchers = new Map<number, HotFolderWatcher>();
  private syncing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly service: ScanService,
    private readonly options: { stabilityMs?: number; onError?: (message: string) => void } = {},
  ) {}

  /** Starts and stops watchers to match the stored folders. */
  sync(): Promise<void> {
    this.syncing = this.syncing.then(() => this.apply()).catch((err: unknown) => this.options.onError?.(String((err as Error)?.message ?? err)));
    return this.syncing;
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.syncing;
    await Promise.all([...this.watchers.values()].map((w) => w.stop()));
    this.watchers.clear();
  }

  private async apply(): Promise<void> {
    if (this.closed) return;
    const folders = await this.service.hotFolders.list();
    const wanted = new Map(folders.filter((f) => f.enabled).map((f) => [f.id, f]));
    for (const [id, w] of this.watchers) {
      const f = wanted.get(id);
      // Gone, disabled, or its settings changed: stop (a changed folder starts again below).
      if (!f || JSON.stringify(f.plan) !== JSON.stringify(w.folder.plan) || f.doneDir !== w.folder.doneDir || f.failedDir !== w.folder.failedDir) {
        await w.stop();
        this.watchers.delete(id);
      }
    }
    for (const [id, f] of wanted) {
      if (this.watchers.has(id) || this.closed) continue;
      const w = new HotFolderWatcher(this.service, this.service.hotFolders.runtime, f, {
        stabilityMs: this.options.stabilityMs,
        onEvent: (e) => {
          if (e.type === 'error') this.options.onError?.(`${f.path}: ${e.message}`);
        },
      });
      try {
        await w.start();
        this.watchers.set(id, w);
      } catch (err) {
        await w.stop().catch(() => undefined);
        this.options.onError?.(String((err as Error)?.message ?? err));
      }
    }
  }
}
