import { copyFile, rename, stat, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, extname, join, resolve, sep } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import type { HotFolder } from '../../../shared/hot-folders';
import { toAppError } from '../errors';
import { isHiddenOrSystem, looksLikeImageName } from '../intake';
import type { ScanService } from '../service-types';
import type { HotFolderRuntime } from './service';

/** What a watcher tells its driver (the CLI prints it; tests wait on it). */
export type WatchEvent =
  | { type: 'ready'; batchId: number | null }
  | { type: 'added'; path: string; batchId: number; pages: number; skipped: boolean }
  | { type: 'moved'; path: string; to: string | null; state: 'done' | 'failed' | 'gone' }
  | { type: 'error'; path: string | null; message: string };

export interface WatcherOptions {
  /** A file joins once its size has not changed for this long (default 2 s). */
  stabilityMs?: number;
  pollMs?: number;
  heartbeatMs?: number;
  owner?: string;
  onEvent?: (e: WatchEvent) => void;
}

/** Names of files still being written by browsers, scanners' drivers and copy tools. */
const PARTIAL = /\.(part|partial|crdownload|download|tmp|temp|filepart|!ut)$/i;

/**
 * Watches one hot folder: every file that appears (written in place, copied, renamed or moved
 * in, at any depth) joins the folder's continuous batch once its size stops changing
 * (chokidar's awaitWriteFinish); when all its pages are decoded it moves to the done folder, or
 * to the failed folder when a page failed or it is no image (kept in place when none is set),
 * and its pages follow it (store paths updated). Every step is recorded, so a restart resumes:
 * files already in the batch are not added again, files whose pages finished meanwhile move.
 * A file removed before it settled is simply never added; one removed after is "gone".
 */
export class HotFolderWatcher {
  private watcher: FSWatcher | null = null;
  private chain: Promise<void> = Promise.resolve();
  private batchId: number | null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly owner: string;
  private readonly onProgress = (p: { batchId: number }) => {
    if (p.batchId === this.batchId) this.enqueue(() => this.settleFiles());
  };
  private stopped = false;

  constructor(
    private readonly service: ScanService,
    private readonly runtime: HotFolderRuntime,
    readonly folder: HotFolder,
    private readonly options: WatcherOptions = {},
  ) {
    this.batchId = folder.batchId;
    this.owner = options.owner ?? `${hostname()}:${process.pid}`;
  }

  get currentBatch(): number | null {
    return this.batchId;
  }

  async start(): Promise<void> {
    // A shared queue's folder may be on another machine only: never hold a folder this one cannot see.
    if (!(await stat(this.folder.path).catch(() => null))?.isDirectory()) throw new Error(`${this.folder.path} is not a folder on this machine: not watched here.`);
    const claim = await this.runtime.claim(this.folder.id, this.owner);
    if (!claim.ok) throw new Error(`${this.folder.path} is already being watched by ${claim.owner}.`);
    // Each beat also looks at the queued files again (settleFiles beats first): a file whose
    // watcher died between claiming and adding it is added once that claim is stale, even when
    // nothing else happens in the batch.
    this.heartbeat = setInterval(() => (this.batchId === null ? void this.beat() : this.enqueue(() => this.settleFiles())), this.options.heartbeatMs ?? 10_000);
    this.heartbeat.unref();
    if (this.batchId !== null) await this.reopen();
    this.service.on('progress', this.onProgress);
    const stability = this.options.stabilityMs ?? 2000;
    const skip = [this.folder.doneDir, this.folder.failedDir].filter((d): d is string => d !== null);
    this.watcher = watch(this.folder.path, {
      ignoreInitial: false, // files already there when watching starts (a restart) count too
      awaitWriteFinish: { stabilityThreshold: stability, pollInterval: this.options.pollMs ?? Math.min(100, stability / 4) },
      ignored: (p) => {
        const abs = resolve(p);
        if (abs === this.folder.path) return false;
        if (skip.some((d) => abs === d || abs.startsWith(d + sep))) return true;
        const name = basename(abs);
        return isHiddenOrSystem(name) || PARTIAL.test(name);
      },
    });
    this.watcher.on('add', (path, st) => this.enqueue(() => this.onFile(resolve(path), st?.size, st?.mtimeMs)));
    this.watcher.on('error', (err) => this.emit({ type: 'error', path: null, message: String((err as Error)?.message ?? err) }));
    await new Promise<void>((ready) => this.watcher!.once('ready', () => ready()));
    this.enqueue(() => this.settleFiles());
    await this.chain;
    this.emit({ type: 'ready', batchId: this.batchId });
  }

  /** Stops watching; the batch settles (done) when nothing else holds it. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.service.off('progress', this.onProgress);
    await this.watcher?.close();
    await this.chain.catch(() => undefined);
    await this.runtime.release(this.folder.id, this.owner);
    if (this.batchId !== null) this.runtime.recheck(this.batchId);
  }

  /**
   * Renews the watch (and the claims on files being added). Lost: another process took the
   * folder over after this one's heartbeat went stale (a pause, a lost connection): this watcher
   * stops adding files and says so; the other watches from now on. A store that cannot be
   * reached is tried again at the next beat.
   */
  private async beat(): Promise<boolean> {
    const held = await this.runtime.heartbeat(this.folder.id, this.owner).catch(() => true);
    if (held || this.stopped) return held;
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.service.off('progress', this.onProgress);
    await this.watcher?.close();
    this.emit({ type: 'error', path: null, message: `${this.folder.path} is now watched by another process: this one stopped watching it.` });
    return false;
  }

  /** Resolves once every event seen so far has been handled (for tests and the CLI). */
  idle(): Promise<void> {
    return this.chain;
  }

  private enqueue(step: () => Promise<void>): void {
    this.chain = this.chain.then(step).catch((err: unknown) => this.emit({ type: 'error', path: null, message: toAppError(err).message }));
  }

  private emit(e: WatchEvent): void {
    this.options.onEvent?.(e);
  }

  /** The stored batch may have been deleted or cancelled while nobody watched: start a new one then. */
  private async reopen(): Promise<void> {
    try {
      const b = await this.service.getBatch(this.batchId!);
      if (b.status === 'cancelled') this.batchId = null;
    } catch {
      this.batchId = null;
    }
  }

  private async onFile(path: string, size?: number, mtimeMs?: number): Promise<void> {
    if (this.stopped) return;
    const st = size === undefined || mtimeMs === undefined ? await stat(path).catch(() => null) : { size, mtimeMs };
    if (!st) return; // gone again before we looked
    // Claimed in the store: of two watchers seeing the file (a folder taken over while its old
    // watcher still runs), one adds it. A file already queued, or settled and unchanged, is not added again.
    if (!(await this.runtime.claimFile(this.folder.id, { path, size: st.size, mtimeMs: st.mtimeMs }, this.owner))) return;
    await this.addToBatch(path);
    await this.settleFiles();
  }

  private async addToBatch(path: string): Promise<void> {
    let added: { items: number; skipped: unknown[] };
    // Another watcher of the folder (before a takeover) may have started its batch meanwhile: join it.
    if (this.batchId === null) this.batchId = (await this.runtime.get(this.folder.id))?.batchId ?? null;
    if (this.batchId !== null) {
      try {
        added = await this.service.addPaths(this.batchId, [path]);
        this.emit({ type: 'added', path, batchId: this.batchId, pages: added.items, skipped: added.skipped.length > 0 });
        return;
      } catch {
        this.batchId = null; // deleted or cancelled meanwhile: a new batch takes the file
      }
    }
    const { batch, skipped } = await this.service.createBatch({
      paths: [path],
      name: `Hot folder ${basename(this.folder.path)}`,
      plan: this.folder.plan,
    });
    this.batchId = batch.id;
    await this.runtime.attachBatch(this.folder.id, batch.id);
    this.emit({ type: 'added', path, batchId: batch.id, pages: batch.counts.total - skipped.length, skipped: skipped.length > 0 });
  }

  /** Files whose pages are all settled move on; a recorded file the batch lacks (a crash between) is added. */
  private async settleFiles(): Promise<void> {
    if (this.batchId === null) return;
    // Only the folder's holder moves files on (two moving one file would record it gone): a
    // watcher that lost the folder to another process stops here.
    if (!(await this.beat())) return;
    for (const f of await this.runtime.queued(this.folder.id)) {
      const s = await this.runtime.filePages(this.batchId, f.path);
      if (s.pages === 0) {
        // Claimed but never added (its watcher stopped in between): taken over once the claim is stale.
        if (!this.stopped && (await stat(f.path).catch(() => null)) && (await this.runtime.retakeFile(this.folder.id, f.path, this.owner))) await this.addToBatch(f.path);
        continue;
      }
      if (s.open > 0) continue;
      await this.moveOn(f.path, s.failed > 0 ? 'failed' : 'done');
    }
  }

  private async moveOn(path: string, state: 'done' | 'failed'): Promise<void> {
    const dir = state === 'done' ? this.folder.doneDir : this.folder.failedDir;
    // Only files named as the page formats ScanDesk reads are moved. The folders come from the
    // renderer's word: moving any file there would let a crafted page (or a file uploaded to the
    // browser host) put "evil.bat" in a Startup folder or "authorized_keys" in ~/.ssh. A file of
    // another kind is left where it is, failed in the batch with its reason.
    if (dir === null || !looksLikeImageName(basename(path))) {
      if (await this.runtime.settleFile(this.folder.id, path, state, null)) this.emit({ type: 'moved', path, to: null, state });
      return;
    }
    try {
      const to = await moveInto(path, dir);
      await this.runtime.relocate(this.batchId!, path, to, basename(to));
      await this.runtime.settleFile(this.folder.id, path, state, to);
      this.emit({ type: 'moved', path, to, state });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        // Gone, or moved on by another watcher a moment ago (its record stands).
        if (await this.runtime.settleFile(this.folder.id, path, 'gone', null)) this.emit({ type: 'moved', path, to: null, state: 'gone' });
        return;
      }
      this.emit({ type: 'error', path, message: `Cannot move ${path} to ${dir}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  }
}

/** Moves a file into `dir` under its own name, numbered when taken ("scan (2).pdf"); across disks too. */
async function moveInto(path: string, dir: string): Promise<string> {
  await stat(path); // ENOENT before choosing a name
  const ext = extname(path);
  const stem = basename(path, ext);
  for (let k = 1; ; k++) {
    const to = join(dir, k === 1 ? basename(path) : `${stem} (${k})${ext}`);
    if (await stat(to).catch(() => null)) continue;
    try {
      await rename(path, to);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
      await copyFile(path, to);
      await unlink(path);
    }
    return to;
  }
}
