import { WorkerPool } from '../workers/pool';
import { countTiffPages } from './tiff-pages';
import type { SuccessReply } from '../workers/protocol';

/** The file name the bundled inspect worker gets next to the main bundle (electron.vite.config.ts). */
export const INSPECT_WORKER_BUNDLE_NAME = 'inspect-worker.js';

/** From sources (vitest, tsx) inspect-worker.ts; from a bundle the built worker next to it. */
function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./inspect-worker.ts', import.meta.url);
  return new URL(`./${INSPECT_WORKER_BUNDLE_NAME}`, import.meta.url);
}

/**
 * The heap an inspect worker may use. Far above any real document's page tree (a 5,000-page PDF
 * needs a few MB); a crafted one fails its file with IMAGE_TOO_LARGE instead of the app.
 */
export const INSPECT_HEAP_MB = 384;

type InspectJob = { path: string; format: 'pdf' | 'tiff'; label: string; maxPages: number; declaredOnly?: boolean };
let pool: WorkerPool<InspectJob, SuccessReply & { pages: number }> | null = null;

/**
 * Pages of a PDF or multi-page TIFF, counted in a worker thread (one, started on first use, gone
 * after a few idle seconds): pdf.js and libtiff parse the file's structure there, never on the
 * thread that runs the app's UI and IPC. Rejects with the imaging codes (PDF_PASSWORD,
 * PDF_CORRUPT, IMAGE_DECODE...) or IMAGE_TOO_LARGE when the structure does not fit the memory.
 * A PDF may answer with more than `maxPages` without being parsed (the count its tree declares).
 */
export async function countPagesInWorker(path: string, format: 'pdf' | 'tiff', label: string, maxPages: number): Promise<number> {
  // A plain TIFF's directories are counted here, without starting the worker (tiff-pages.ts).
  if (format === 'tiff') {
    const pages = await countTiffPages(path, maxPages).catch(() => null);
    if (pages !== null) return pages;
  }
  return (await inspectPool().run({ path, format, label, maxPages })).pages;
}

/**
 * The largest page count a PDF's page tree declares, read as bytes without parsing (see
 * pdf-declared.ts; 0 when none is seen): a quick hint that the file has pages, so intake can
 * queue page 1 while pdf.js counts them all. Never the count itself.
 */
export async function declaredPagesInWorker(path: string, label: string): Promise<number> {
  return (await inspectPool().run({ path, format: 'pdf', label, maxPages: 0, declaredOnly: true })).pages;
}

function inspectPool(): WorkerPool<InspectJob, SuccessReply & { pages: number }> {
  pool ??= new WorkerPool({
    name: 'Page counting',
    workerUrl: workerUrl(),
    size: 1,
    idleMs: 5_000,
    jobTimeoutMs: 60_000,
    resourceLimits: { maxOldGenerationSizeMb: INSPECT_HEAP_MB },
    describeJob: (job) => job.label,
  });
  return pool;
}
