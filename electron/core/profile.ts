import { dirname } from 'node:path';
import type { EngineId } from '../../shared/engines';
import type { Engine } from './engines/engine';
import { createEngineRegistry, type EngineRegistry, type EngineRegistryOptions } from './engines/registry';
import { openScanService, type ScanServiceOptions } from './service';
import type { ScanService } from './service-types';
import { VendorSettingsStore, vendorSettingsPath, type VendorSettingsPatch } from './settings';

/**
 * A profile, opened the same way by the desktop app, the browser host, the CLI and the worker:
 * its store (the SQLite file at `dbPath`, or a shared PostgreSQL queue), its engines (the local decoder and the cloud vendors,
 * with the vendor settings kept beside the database and credentials from the environment or the
 * OS keychain), and the service that runs batches over them.
 */
export interface ProfileOptions {
  /** The profile's SQLite file (created if missing); vendor-settings.json lives beside it. */
  dbPath: string;
  /**
   * A shared queue (postgres://...) to use instead of the SQLite file: batches, jobs and results
   * live there, for every desk and worker that opens it (vendor settings stay beside `dbPath`).
   */
  queue?: string;
  /**
   * With `queue`: this machine's path to the queue's blob store (submitted files are copied
   * there, workers read them from there). Default: the root recorded by `scandesk queue init
   * --blobs`, when the queue has one.
   */
  blobs?: string;
  /** Environment for vendor settings and credentials (default: process.env). */
  env?: NodeJS.ProcessEnv;
  engines?: {
    /** Only these engines (a CLI run builds what its plan names; default: all). */
    include?: readonly EngineId[];
    /** The local decoder's worker threads. */
    localJobs?: number;
    /** Per-run changes over the saved vendor settings (CLI flags); never saved. */
    overrides?: VendorSettingsPatch;
    /** Wraps each engine the service runs (the CLI counts decodes). */
    wrap?: (engine: Engine) => Engine;
  } & Pick<EngineRegistryOptions, 'credentials' | 'retry' | 'onVendorEvent'>;
  /** The rest of the service's options (intake, export writer, lease, backoff...). */
  service?: Omit<ScanServiceOptions, 'dbPath' | 'engines'>;
}

export interface Profile {
  service: ScanService;
  /** The engines' registry: Settings changes credentials and vendor settings through it at run time. */
  registry: EngineRegistry;
  settings: VendorSettingsStore;
  /** Closes the service (pages in flight given back, or finished with `finishInFlight`), then the engines. */
  close(options?: { finishInFlight?: boolean }): Promise<void>;
}

export async function openProfile(options: ProfileOptions): Promise<Profile> {
  const e = options.engines ?? {};
  const settings = new VendorSettingsStore(vendorSettingsPath(options.dbPath), options.env);
  const registry = createEngineRegistry({
    settings,
    ...(e.overrides ? { overrides: e.overrides } : {}),
    ...(e.localJobs ? { local: { size: e.localJobs } } : {}),
    ...(e.include ? { include: e.include } : {}),
    ...(e.credentials ? { credentials: e.credentials } : {}),
    ...(e.retry ? { retry: e.retry } : {}),
    ...(e.onVendorEvent ? { onVendorEvent: e.onVendorEvent } : {}),
    // The system proxy (HTTPS_PROXY, NO_PROXY) is the profile's environment's.
    ...(options.env ? { env: options.env } : {}),
    // Beside the database: what vendors remember across runs (OSS uploads to sweep after a crash).
    dataDir: dirname(options.dbPath),
  });
  const engines = e.wrap ? registry.engines.map(e.wrap) : registry.engines;
  let service: ScanService;
  try {
    // Loaded only for a shared queue: a desk on its own file never loads the PostgreSQL client.
    const store = options.queue ? await (await import('./store/pg-store')).PgStore.open(options.queue) : undefined;
    const blobs = store ? (options.blobs ?? (await store.setting('blob_root').catch(() => null))) : null;
    service = await openScanService({ ...options.service, dbPath: options.dbPath, engines, ...(store ? { store } : {}), ...(blobs ? { blobs } : {}) });
  } catch (err) {
    await registry.close();
    throw err;
  }
  let closing: Promise<void> | null = null;
  return {
    service,
    registry,
    settings,
    close(closeOptions) {
      closing ??= (async () => {
        try {
          await service.close(closeOptions);
        } finally {
          await registry.close();
        }
      })();
      return closing;
    },
  };
}
