import { DeskHotFolders } from '../core/hotfolder/desk-runners';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readFileSync } from 'node:fs';
import { WebSocketServer, type WebSocket } from 'ws';
import { fail, parseCropPath, parseMediaPath, type EventName, type EventPayload } from '../../shared/contract';
import {
  contentSecurityPolicy,
  createHandlers,
  cropSource,
  createMediaCache,
  dispatch,
  fileSettingsStore,
  forwardServiceEvents,
  SECURITY_HEADERS,
  StartupNotices,
  stderrLogger,
  sweepInBackground,
  systemReveal,
  unavailableDialogs,
  type HandlerTable,
  type Logger,
  type MediaCache,
  type VendorDeps,
} from '../core/api';
import { ScanError } from '../core/errors';
import { attachmentHeader, DownloadSpool } from '../core/export/downloads';
import { EXPORT_FOLDER_FILE, RememberedFolder } from '../core/export/remembered-folder';
import type { ScanService } from '../core/service-types';
import { keytarBackend } from '../core/credentials/keychain';
import { SharedQueueConfig } from '../core/shared-queue/config';
import { DeskQueues } from '../core/shared-queue/desk';
import { allowedHosts, cookieName, HostSessions, hostAllowed, localRedirect, originAllowed } from './security';
import { readStatic, rendererBuilt } from '../core/api/static-files';
import { InvokeMessage, MAX_MESSAGE_BYTES } from './ws-protocol';
import { createUploads } from './uploads';

/**
 * The browser host: the renderer build, window.scandesk over a WebSocket, and item previews,
 * served on 127.0.0.1 to the one person who holds this run's token. It drives the same handler
 * table as Electron main, so a browser (and the end-to-end tests) exercise the real app.
 */
export interface HostOptions {
  /** The profile's SQLite file; opened with openProfile unless `service` is given. */
  dbPath: string;
  port?: number;
  host?: string;
  /** The renderer build (default: out/renderer of this checkout). */
  rendererDir?: string;
  /** A service the caller owns (not closed by close()). */
  service?: ScanService;
  /** The cloud vendors of `service` (keychain, settings, registry); built here when the host opens the service. */
  vendors?: VendorDeps;
  /** Settings, exports and the media cache (default: the folder of dbPath). */
  dataDir?: string;
  log?: Logger;
}

export interface RunningHost {
  /**
   * Open this: it works once. Its token is exchanged for a session cookie (a separate random
   * value) and taken out of the address; afterwards the address opens nothing.
   */
  url: string;
  /** The server's origin, without the token. */
  origin: string;
  /** The token of `url` (spent once `url` was opened). */
  token: string;
  /** Another one-time address (for a second browser, or after the first session was lost). */
  newUrl(): string;
  port: number;
  service: ScanService;
  close(): Promise<void>;
}

const SPENT_ADDRESS =
  'This address has already been used (each address printed by the ScanDesk host opens it once), or it is not this host\'s. ' +
  'Open ScanDesk in the browser that used it, or ask the host for a new address (press Enter in its terminal).';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

function packageVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version?: string }).version ?? '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const log = options.log ?? stderrLogger;
  const bindHost = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? dirname(resolve(options.dbPath)));
  const rendererDir = resolve(options.rendererDir ?? join(repoRoot, 'out/renderer'));
  const ownsService = !options.service;
  const opened = options.service ? null : await openDefaultService(options.dbPath);
  const local = options.service ?? opened!.service;
  // Hot folders configured in Settings are watched while the host runs (a restart resumes
  // them): this desk's, and while a shared queue is open, the queue's.
  const hotFolders = new DeskHotFolders(local, { onError: (m) => log(`hot folder: ${m}`) });
  // Settings → Shared queue: the handler table talks to the batches shown now (this desk's, or
  // a shared queue's).
  const queues = new DeskQueues({
    local,
    dbPath: resolve(options.dbPath),
    config: new SharedQueueConfig(dataDir, keytarBackend()),
    log: (m) => log(`shared queue: ${m}`),
    onShared: (shared) => hotFolders.attach(shared),
  });
  queues.start();
  const service = queues.service;
  const vendors = options.vendors ?? opened?.vendors;
  await hotFolders.sync();

  const downloads = new DownloadSpool(join(dataDir, 'cache', 'downloads'));
  const media: MediaCache = createMediaCache({
    dir: join(dataDir, 'cache', 'media'),
    // A shared queue's pages come from its blob store (checked against their hash), not the
    // path they were submitted with on another machine.
    lookup: (itemId) => service.pageFile(itemId),
  });
  const crops = cropSource(service);
  // Sent to the browsers connected then (the sweep starts once events can go out), kept for later ones.
  const startupNotices = new StartupNotices((engine, message) => broadcast('notice', { batchId: 0, engine, message }));
  const handlers: HandlerTable = createHandlers(service, {
    transport: 'browser',
    app: { name: 'ScanDesk', version: packageVersion(), dataDir },
    settings: fileSettingsStore(join(dataDir, 'settings.json')),
    dialogs: unavailableDialogs(),
    // A browser saves exports as downloads, or ScanDesk writes a new file in a folder the user
    // typed; there is no save dialog to hand out handles.
    exports: { downloads, folders: true, remembered: new RememberedFolder(join(dataDir, EXPORT_FOLDER_FILE)), reveal: systemReveal(), downloadUrl: (id) => `/downloads/${id}` },
    media,
    ...(vendors ? { vendors } : {}),
    hotFolders,
    queues,
    startupNotices,
    log,
  });

  const uploads = createUploads(join(dataDir, 'uploads'));
  let port = 0;
  let hosts = new Set<string>();
  // Replaced once the port is known (the cookie's name carries it); until then nothing is admitted.
  let sessions = new HostSessions('scandesk_pending');
  const sockets = new Set<WebSocket>();

  const server = createServer((req, res) => {
    handleHttp(req, res).catch((err) => {
      log('host: request failed', err);
      if (!res.headersSent) plain(res, 500, 'Internal error.');
      else res.destroy();
    });
  });

  const headersFor = (contentType: string, extra: Record<string, string> = {}) => ({
    ...SECURITY_HEADERS,
    'Content-Type': contentType,
    'Content-Security-Policy': contentSecurityPolicy({ connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`] }),
    ...extra,
  });

  const plain = (res: ServerResponse, status: number, text: string) => {
    res.writeHead(status, headersFor('text/plain; charset=utf-8', { 'Cache-Control': 'no-store' }));
    res.end(text);
  };

  async function handleHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!hostAllowed(req, hosts)) return plain(res, 421, 'Unknown host. Open the address printed by the ScanDesk host.');
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method === 'POST' && url.pathname.startsWith('/upload/')) return upload(req, url, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(res, 405, 'Method not allowed.');
    // An address with ?token=: spend the token for a session cookie and take it out of the
    // address bar. A browser that already has a session is simply sent on.
    if (url.searchParams.has('token')) {
      const session = sessions.redeem(url.searchParams.get('token'));
      if (!session && !sessions.admits(req)) return plain(res, 401, SPENT_ADDRESS);
      url.searchParams.delete('token');
      res.writeHead(303, {
        ...SECURITY_HEADERS,
        ...(session ? { 'Set-Cookie': sessions.setCookie(session) } : {}),
        Location: localRedirect(url),
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (!sessions.admits(req)) {
      return plain(res, 401, 'This ScanDesk host needs the address with its token, as printed when it started.');
    }
    if (url.pathname.startsWith('/media/crop/')) return serveCrop(url.pathname.slice('/media'.length), res);
    if (url.pathname.startsWith('/media/')) return serveMedia(url.pathname.slice('/media'.length), res);
    if (url.pathname.startsWith('/downloads/')) return serveDownload(url.pathname.slice('/downloads/'.length), req, res);
    if (!rendererBuilt(rendererDir)) {
      return plain(res, 503, `The renderer is not built (${rendererDir}/index.html is missing). Run: npx electron-vite build`);
    }
    const file = await readStatic(rendererDir, url.pathname);
    if (!file) return plain(res, 404, 'Not found.');
    res.writeHead(200, headersFor(file.contentType, { 'Cache-Control': file.immutable ? 'private, max-age=31536000, immutable' : 'no-store' }));
    res.end(req.method === 'HEAD' ? undefined : file.data);
  }

  /**
   * A file the browser sends (drop or file picker): only from our own page (token cookie and
   * Origin, so another site cannot write into the profile), stored under the profile's
   * uploads folder; the answer names where, for the batch to read it like a typed path.
   */
  async function upload(req: IncomingMessage, url: URL, res: ServerResponse): Promise<void> {
    if (!sessions.admits(req)) return plain(res, 401, 'Unauthorized.');
    if (!originAllowed(req, hosts)) return plain(res, 403, 'Uploads are accepted from this host’s own page only.');
    const answer = await uploads.receive(req, url.pathname.slice('/upload/'.length));
    if (answer.status !== 200) req.resume();
    res.writeHead(answer.status, headersFor('application/json; charset=utf-8', { 'Cache-Control': 'no-store' }));
    res.end(JSON.stringify(answer.body));
  }

  /** An export on its way to the browser: sent once, as an attachment, then deleted. */
  function serveDownload(id: string, req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET') return plain(res, 405, 'Method not allowed.');
    const found = /^[A-Za-z0-9_-]{32}$/.test(id) ? downloads.take(id) : null;
    if (!found) return plain(res, 404, 'This download was fetched already or has expired: export again.');
    res.writeHead(200, headersFor(found.contentType, { 'Content-Disposition': attachmentHeader(found.name), 'Cache-Control': 'no-store' }));
    const stream = found.open();
    stream.on('error', (err) => {
      log('host: download failed', err);
      res.destroy();
    });
    res.once('close', () => found.discard());
    stream.pipe(res);
  }

  /** An ID-card crop by detection id (personal data: the browser keeps no copy). */
  async function serveCrop(tail: string, res: ServerResponse): Promise<void> {
    const ref = parseCropPath(tail);
    if (!ref) return plain(res, 404, 'Not found.');
    try {
      const img = await crops(ref.kind, ref.detectionId);
      res.writeHead(200, headersFor(`image/${img.format}`, { 'Cache-Control': 'no-store' }));
      res.end(img.data);
    } catch (err) {
      if (err instanceof ScanError && err.code === 'NOT_FOUND') return plain(res, 404, err.message);
      log(`host: crop of detection ${ref.detectionId} failed`, err);
      plain(res, 500, 'The image could not be read.');
    }
  }

  async function serveMedia(tail: string, res: ServerResponse): Promise<void> {
    const ref = parseMediaPath(tail);
    if (!ref) return plain(res, 404, 'Not found.');
    // A browser that no longer wants the image (the card scrolled away) closes the request:
    // its render, if still waiting for a turn, is dropped.
    const left = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) left.abort();
    });
    try {
      const img = await media.get(ref.kind, ref.itemId, left.signal);
      if (left.signal.aborted) return;
      res.writeHead(200, headersFor(img.contentType, { 'Cache-Control': 'private, max-age=3600' }));
      res.end(img.data);
    } catch (err) {
      if (left.signal.aborted) return;
      if (err instanceof ScanError) {
        const status = err.code === 'NOT_FOUND' || err.code === 'FILE_NOT_FOUND' ? 404 : 422;
        return plain(res, status, err.message);
      }
      log(`host: preview of item ${ref.itemId} failed`, err);
      plain(res, 500, 'The preview could not be made.');
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });

  const reject = (socket: Duplex, status: number, text: string) => {
    socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
  };

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (!hostAllowed(req, hosts)) return reject(socket, 421, 'Misdirected Request');
    if (url.pathname !== '/ws') return reject(socket, 404, 'Not Found');
    if (!originAllowed(req, hosts)) return reject(socket, 403, 'Forbidden');
    if (!sessions.admits(req)) return reject(socket, 401, 'Unauthorized');
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws));
  });

  function attach(ws: WebSocket): void {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (err) => log('host: websocket error', err));
    ws.on('message', (raw, isBinary) => {
      void onMessage(ws, raw.toString(), isBinary);
    });
  }

  async function onMessage(ws: WebSocket, text: string, isBinary: boolean): Promise<void> {
    let msg: InvokeMessage;
    try {
      if (isBinary) throw new Error('binary');
      const parsed = InvokeMessage.safeParse(JSON.parse(text));
      if (!parsed.success) {
        const id = (JSON.parse(text) as { id?: unknown })?.id;
        if (Number.isSafeInteger(id)) send(ws, { type: 'result', id, result: fail('INVALID_INPUT', 'Malformed message: expected {type:"invoke", id, name, input}.') });
        return;
      }
      msg = parsed.data;
    } catch {
      ws.close(1003, 'Expected JSON text messages');
      return;
    }
    const result = await dispatch(handlers, msg.name, msg.input);
    send(ws, { type: 'result', id: msg.id, result });
  }

  const send = (ws: WebSocket, message: unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };

  const broadcast = <E extends EventName>(name: E, payload: EventPayload<E>) => {
    const text = JSON.stringify({ type: 'event', name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(text);
  };
  const stopEvents = forwardServiceEvents(service, broadcast);
  const stopQueueEvents = queues.onChange((status) => broadcast('sharedQueue.changed', status));
  // OSS pages a run that died left in the bucket are deleted now, not only at the next OSS page.
  const sweeping = vendors ? sweepInBackground(vendors.registry, dataDir, startupNotices, log) : Promise.resolve();

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(options.port ?? 0, bindHost, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(bindHost, port);
  sessions = new HostSessions(cookieName(port));
  const token = sessions.issueToken();
  const shownHost = bindHost === '0.0.0.0' || bindHost === '::' ? '127.0.0.1' : bindHost.includes(':') ? `[${bindHost}]` : bindHost;
  const origin = `http://${shownHost}:${port}`;

  let closing: Promise<void> | null = null;
  return {
    url: `${origin}/?token=${token}`,
    origin,
    token,
    newUrl: () => `${origin}/?token=${sessions.issueToken()}`,
    port,
    service: local,
    close() {
      closing ??= (async () => {
        stopEvents();
        stopQueueEvents();
        downloads.close();
        for (const ws of sockets) ws.terminate();
        wss.close();
        const closed = new Promise<void>((r) => server.close(() => r()));
        server.closeAllConnections();
        await closed;
        await Promise.all([hotFolders.close(), media.close(), queues.close(), sweeping]);
        if (ownsService) await opened?.close();
      })();
      return closing;
    },
  };
}

/**
 * The product's service with the local engine and the cloud vendors, whose registry and
 * settings the vendor requests (Settings view) change at run time.
 */
async function openDefaultService(dbPath: string): Promise<{ service: ScanService; vendors: VendorDeps; close: () => Promise<void> }> {
  // Loaded on demand: callers that pass their own service (tests) never load the engines here.
  const { openProfile } = await import('../core/profile');
  const profile = await openProfile({ dbPath });
  return { service: profile.service, vendors: { registry: profile.registry, settings: profile.settings }, close: () => profile.close() };
}
