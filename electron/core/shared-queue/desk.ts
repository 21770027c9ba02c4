import { EventEmitter } from 'node:events';
import { stat } from 'node:fs/promises';
import type { SharedQueueStatus, SharedQueueTest } from '../../../shared/contract';
import { ScanError } from '../errors';
import { openScanService } from '../service';
import type { ScanService, ScanServiceEvents } from '../service-types';
import { connectUrl, parseQueueUrl, type QueueAddress } from './address';
import type { SharedQueueConfig } from './config';

/**
 * A desk's two places for batches: its own profile (the SQLite file, always open) and, when
 * Settings names one, a shared queue on PostgreSQL. `service` is what the handler table talks
 * to: the batches the desk shows now ("This desk" or "Shared queue"), reviewed and exported the
 * same way. The desk does not decode the shared queue's pages (workers do): it opens it with
 * no engines, to show, review, export and submit.
 *
 * A desk that loses the database says so (status `lost`, a notice) and shows its own batches
 * again; it keeps trying every `healthMs` and says when the queue is back.
 */
export interface DeskQueuesOptions {
  local: ScanService;
  /** The local profile's SQLite file (a service on a shared queue still needs one for its own bookkeeping paths). */
  dbPath: string;
  config: SharedQueueConfig;
  /** How often the open queue is checked (default 5 s). */
  healthMs?: number;
  log?: (message: string) => void;
  /** Told the shared queue's service once it is open, and null before it closes (the desk's hot folders watch the queue's). */
  onShared?: (service: ScanService | null) => Promise<void>;
}

type Source = 'local' | 'shared';

interface Open {
  address: QueueAddress;
  blobs: string | null;
  service: ScanService;
  ping: () => Promise<void>;
  close: () => Promise<void>;
}

const FORWARDED = ['progress', 'batches', 'notice'] as const;

export class DeskQueues {
  /** The service of the batches shown now; its events come from that source only. */
  readonly service: ScanService;
  private readonly events = new EventEmitter();
  private readonly changes = new EventEmitter();
  private shared: Open | null = null;
  private showing: Source = 'local';
  private state: SharedQueueStatus['state'] = 'off';
  private message: string | null = null;
  private passwordSaved = false;
  private timer: NodeJS.Timeout | null = null;
  private connecting: Promise<void> | null = null;
  private closed = false;

  constructor(private readonly options: DeskQueuesOptions) {
    this.forward(options.local, 'local');
    const current = () => (this.showing === 'shared' && this.shared ? this.shared.service : options.local);
    this.service = new Proxy({} as ScanService, {
      get: (_target, prop) => {
        if (prop === 'on') return (e: string, l: (...a: unknown[]) => void) => (this.events.on(e, l), this.service);
        if (prop === 'off') return (e: string, l: (...a: unknown[]) => void) => (this.events.off(e, l), this.service);
        // Hot folders too follow the batches shown: a shared queue's are watched from here as well
        // (hotfolder/desk-runners.ts, told through onShared), where this machine sees the folder.
        const s = current();
        const v = Reflect.get(s, prop, s) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(s) : v;
      },
    });
  }

  /** Opens the saved queue, if any, in the background: the desk starts on its own profile either way. */
  start(): void {
    if (this.options.config.get()) void this.connect();
    this.timer = setInterval(() => void this.check(), this.options.healthMs ?? 5000);
    this.timer.unref();
  }

  status(): SharedQueueStatus {
    const saved = this.options.config.get();
    return {
      configured: saved !== null,
      url: saved?.url ?? null,
      endpoint: saved?.endpoint ?? null,
      blobs: saved?.blobs ?? null,
      passwordSaved: this.passwordSaved,
      state: this.state,
      message: this.message,
      showing: this.showing,
    };
  }

  /** Calls `listener` with the status after every change (connected, lost, back, shown). */
  onChange(listener: (s: SharedQueueStatus) => void): () => void {
    this.changes.on('change', listener);
    return () => this.changes.off('change', listener);
  }

  /**
   * Connects to a typed address without saving anything: the server's version, whether the
   * queue's tables exist, the blob root it records and whether this machine can read `blobs`.
   */
  async test(input: { url: string; password?: string | null; blobs?: string | null }): Promise<SharedQueueTest> {
    const { address, password } = parseQueueUrl(input.url);
    const secret = input.password ?? password ?? (await this.savedPassword(address.endpoint));
    const pg = (await import('pg')).default;
    const client = new pg.Client({ connectionString: connectUrl(address, secret), connectionTimeoutMillis: 10_000, application_name: 'scandesk' });
    try {
      await client.connect();
      const version = String((await client.query('SHOW server_version')).rows[0]?.server_version ?? '?');
      const hasTables = (await client.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS ok`)).rows[0]?.ok === true;
      const blobRoot = hasTables ? (((await client.query(`SELECT value FROM queue_settings WHERE key = 'blob_root'`).catch(() => ({ rows: [] }))).rows[0]?.value as string | undefined) ?? null) : null;
      const blobs = input.blobs ?? blobRoot;
      const blobsReadable = blobs ? await stat(blobs).then((s) => s.isDirectory(), () => false) : null;
      return { endpoint: address.endpoint, serverVersion: version, initialized: hasTables, blobRoot, blobsReadable };
    } catch (err) {
      throw unreachable(address, err);
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** Saves the address (the password to the keychain, bound to this endpoint) and connects. */
  async save(input: { url: string; password?: string | null; blobs: string | null }): Promise<SharedQueueStatus> {
    const { address, password } = parseQueueUrl(input.url);
    const secret = input.password ?? password;
    if (secret) await this.options.config.setPassword(address.endpoint, secret);
    this.options.config.save(address, input.blobs);
    await this.disconnect();
    await this.connect();
    return this.status();
  }

  /** Closes the queue and forgets it here (address and password); the queue itself is untouched. */
  async forget(): Promise<SharedQueueStatus> {
    await this.disconnect();
    await this.options.config.forget();
    this.passwordSaved = false;
    this.setState('off', null);
    return this.status();
  }

  /** Which batches the desk shows: its own, or the shared queue's (only while connected). */
  show(source: Source): SharedQueueStatus {
    if (source === 'shared' && (!this.shared || this.state !== 'connected')) {
      throw new ScanError('INVALID_INPUT', this.message ?? 'No shared queue is open on this desk: set one up in Settings → Shared queue.');
    }
    if (this.showing !== source) {
      this.showing = source;
      this.events.emit('batches');
      this.emitChange();
    }
    return this.status();
  }

  async close(): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    await this.connecting?.catch(() => undefined);
    await this.disconnect();
  }

  private async savedPassword(endpoint: string): Promise<string | null> {
    try {
      return await this.options.config.password(endpoint);
    } catch {
      return null; // no keychain: a server with trust or peer authentication needs no password
    }
  }

  private connect(): Promise<void> {
    this.connecting ??= (async () => {
      const saved = this.options.config.get();
      if (!saved || this.closed) return;
      const address = { url: saved.url, endpoint: saved.endpoint };
      this.setState('connecting', null);
      const password = await this.savedPassword(address.endpoint);
      this.passwordSaved = password !== null;
      try {
        const { PgStore } = await import('../store/pg-store');
        const store = await PgStore.open(connectUrl(address, password), { max: 4 });
        const blobs = saved.blobs ?? (await store.setting('blob_root').catch(() => null));
        // No engines: the queue's workers decode; this desk shows, reviews, exports and submits.
        const service = await openScanService({ dbPath: this.options.dbPath, store, engines: [], ...(blobs ? { blobs } : {}) });
        if (this.closed) {
          await service.close();
          return;
        }
        this.shared = { address, blobs, service, ping: async () => void (await store.pool.query('SELECT 1')), close: () => service.close() };
        this.forward(service, 'shared');
        this.setState('connected', null);
        await this.options.onShared?.(service).catch((err: unknown) => this.options.log?.(`shared queue: ${String(err)}`));
      } catch (err) {
        this.lose(unreachable(address, err).message);
      }
    })().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async disconnect(): Promise<void> {
    const open = this.shared;
    this.shared = null;
    if (this.showing === 'shared') {
      this.showing = 'local';
      this.events.emit('batches');
    }
    if (open) await this.options.onShared?.(null).catch((err: unknown) => this.options.log?.(`shared queue: ${String(err)}`));
    await open?.close().catch((err: unknown) => this.options.log?.(`shared queue: closing: ${String(err)}`));
  }

  /** The periodic check: a lost queue is said once and the desk shows its own batches; a queue back is said once. */
  private async check(): Promise<void> {
    if (this.closed || this.connecting) return;
    if (!this.shared) {
      if (this.state === 'lost') await this.connect();
      return;
    }
    try {
      await this.shared.ping();
      if (this.state !== 'connected') this.setState('connected', null);
    } catch (err) {
      const message = unreachable(this.shared.address, err).message;
      await this.disconnect();
      this.lose(message);
    }
  }

  private lose(message: string): void {
    if (this.showing === 'shared') this.show('local');
    this.setState('lost', message);
    this.options.log?.(message);
    this.events.emit('notice', { batchId: 0, engine: 'shared-queue', message });
  }

  private setState(state: SharedQueueStatus['state'], message: string | null): void {
    if (this.state === state && this.message === message) return;
    this.state = state;
    this.message = message;
    this.emitChange();
  }

  private emitChange(): void {
    this.changes.emit('change', this.status());
  }

  /** Passes `source`'s events on while it is the one shown. */
  private forward(service: ScanService, source: Source): void {
    for (const name of FORWARDED) {
      service.on(name, ((payload: unknown) => {
        const live = source === 'local' ? this.showing === 'local' : this.showing === 'shared' && this.shared?.service === service;
        if (live) this.events.emit(name, payload);
      }) as ScanServiceEvents[typeof name]);
    }
  }
}

/** The queue could not be reached, in words (never the password: the address has none). */
function unreachable(address: QueueAddress, err: unknown): ScanError {
  const why = err instanceof Error ? err.message : String(err);
  return new ScanError(
    'NETWORK',
    `The shared queue at ${address.endpoint} cannot be reached (${why.replace(/postgres(ql)?:\/\/[^\s]*/g, '…')}). This desk shows its own batches meanwhile; they keep working.`,
  );
}
