import type { EnginePlan } from './engines';

/** A watched folder: files that appear in it join one continuous batch. */
export interface HotFolder {
  id: number;
  path: string;
  /** The folder's live batch (null until its first file arrives, or after it was deleted). */
  batchId: number | null;
  plan: EnginePlan;
  doneDir: string | null;
  failedDir: string | null;
  enabled: boolean;
  /** A process is watching it now (its heartbeat is fresh). */
  live: boolean;
  /** Files seen: waiting for their pages, moved (or kept) done, failed, gone before the end. */
  files: { queued: number; done: number; failed: number; gone: number };
}
