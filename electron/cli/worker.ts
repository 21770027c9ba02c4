import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { ENGINE_IDS, type EngineId } from '../../shared/engines';
import { toAppError } from '../core/errors';
import { openProfile } from '../core/profile';
import { instrumentEngine, type DecodeCounter } from './decode-log';
import { EXIT_OK, UsageError } from './errors';
import { defaultDbPath } from './paths';
import { queueUrl, redactUrl } from './queue-url';
import type { CliIo } from './scan';

export interface WorkerOptions {
  queue?: string;
  db?: string;
  jobs?: number;
  engines?: string;
  leaseSeconds?: number;
  blobs?: string;
}

/**
 * `scandesk worker --queue postgres://...`: a headless worker. It claims pages of every running
 * batch of the shared queue for the engines it has, until stopped: SIGTERM or Ctrl-C lets the
 * pages in hand finish, then exits; a SIGKILL loses nothing (its leases expire, or another
 * worker on this machine sees the process gone, and the pages go to another worker). Vendor
 * credentials come from the environment (or this machine's keychain), vendor settings from
 * vendor-settings.json beside --db.
 */
export async function runWorker(o: WorkerOptions, io: CliIo): Promise<number> {
  const url = queueUrl(o.queue, io.env);
  const engines = parseEngines(o.engines ?? 'local');
  const dbPath = resolve(o.db ?? defaultDbPath(io.env));
  const decoded: DecodeCounter = { count: 0 };
  // Listen for SIGTERM/Ctrl-C before anything is printed: a supervisor that stops the worker as
  // soon as it sees the banner must reach this handler, not Node's default, which ends the
  // process at once. (Writing the banner wakes the reader; on a loaded machine it could signal
  // before a listener installed after the write existed.) io.onInterrupt hears SIGINT and
  // SIGTERM; a second one forces the exit.
  let stop!: () => void;
  const stopped = new Promise<void>((done) => (stop = done));
  io.onInterrupt(() => stop());
  const profile = await openProfile({
    dbPath,
    queue: url,
    ...(o.blobs ? { blobs: resolve(o.blobs) } : {}),
    env: io.env,
    engines: {
      include: engines,
      ...(o.jobs ? { localJobs: o.jobs } : {}),
      wrap: (e) => instrumentEngine(e, decoded, io.env.SCANDESK_DECODE_LOG),
    },
    service: o.leaseSeconds ? { leaseMs: o.leaseSeconds * 1000 } : {},
  }).catch((err: unknown) => {
    throw new Error(toAppError(err).message, { cause: err });
  });
  io.stderr.write(
    `Worker ${hostname()}:${process.pid} on ${redactUrl(url)}: ${engines.join(', ')}. Stop with Ctrl-C or SIGTERM (pages in hand finish first).\n`,
  );
  await stopped;
  io.stderr.write('Stopping: finishing the pages in hand...\n');
  await profile.close({ finishInFlight: true });
  io.stderr.write(`Stopped. ${decoded.count} ${decoded.count === 1 ? 'page' : 'pages'} decoded here.\n`);
  return EXIT_OK;
}

function parseEngines(list: string): EngineId[] {
  const ids = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !(ENGINE_IDS as readonly string[]).includes(id));
  if (ids.length === 0 || bad.length > 0) throw new UsageError(`--engines takes a comma-separated list of ${ENGINE_IDS.join(', ')}${bad.length ? ` (not: ${bad.join(', ')})` : ''}.`);
  return [...new Set(ids)] as EngineId[];
}
