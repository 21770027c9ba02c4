/**
 * window.scandesk for the browser host: the same ScanDeskApi the Electron preload exposes,
 * carried over a WebSocket to the host that served this page (electron/host). The page's
 * cookie (set by the host when the tokened URL was first opened) authenticates the socket.
 *
 * Usage (renderer entry): `if (!window.scandesk) installWsBridge();` before the first render.
 */
import {
  cropPaths,
  fail,
  isEventName,
  mediaPaths,
  type EventName,
  type EventPayload,
  type RequestName,
  type Result,
  type ScanDeskApi,
} from '../../../shared/contract';
import { uploadUrl } from '../../../shared/uploads';

declare global {
  interface Window {
    scandesk?: ScanDeskApi;
  }
}

/** Wire format shared with electron/host/ws-protocol.ts. */
type ServerMessage =
  | { type: 'result'; id: number; result: Result<unknown> }
  | { type: 'event'; name: string; payload: unknown };

export interface WsBridgeOptions {
  /** Defaults to ws(s)://<this page's host>/ws. */
  url?: string;
  /** Reconnect delay after a lost connection (doubles up to 10 s). */
  retryMs?: number;
}

export function createWsBridge(options: WsBridgeOptions = {}): ScanDeskApi {
  const url = options.url ?? `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`;
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<EventName, Set<(payload: unknown) => void>>();
  let queue: string[] = [];
  let nextId = 1;
  let socket: WebSocket | null = null;
  let retry = options.retryMs ?? 500;

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.addEventListener('open', () => {
      retry = options.retryMs ?? 500;
      for (const m of queue) ws.send(m);
      queue = [];
    });
    ws.addEventListener('message', (ev) => {
      let msg: ServerMessage;
      try {
        msg = JSON.parse(String(ev.data)) as ServerMessage;
      } catch {
        return;
      }
      if (msg.type === 'result') {
        const done = pending.get(msg.id);
        pending.delete(msg.id);
        done?.(msg.result);
      } else if (msg.type === 'event' && isEventName(msg.name)) {
        for (const l of listeners.get(msg.name) ?? []) {
          try {
            l(msg.payload);
          } catch (err) {
            console.error(err);
          }
        }
      }
    });
    ws.addEventListener('close', () => {
      // Calls in flight cannot be answered any more; tell their callers instead of hanging.
      for (const [, done] of pending) done(fail('NETWORK', 'Lost the connection to the ScanDesk host. Retrying…'));
      pending.clear();
      socket = null;
      setTimeout(connect, retry);
      retry = Math.min(retry * 2, 10_000);
    });
  };
  connect();

  const send = (text: string) => {
    if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
    else queue.push(text);
  };

  return {
    transport: 'browser',
    invoke(name: RequestName, input: unknown) {
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, resolve as (r: Result<unknown>) => void);
        send(JSON.stringify({ type: 'invoke', id, name, input: input ?? {} }));
      }) as never;
    },
    on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) {
      let set = listeners.get(event);
      if (!set) listeners.set(event, (set = new Set()));
      const l = listener as (payload: unknown) => void;
      set.add(l);
      return () => void set.delete(l);
    },
    mediaUrl: (kind, itemId) => mediaPaths.http(kind, itemId),
    cropUrl: (kind, detectionId) => cropPaths.http(kind, detectionId),
    // A browser never reveals where a dropped file lives: the file itself is sent (uploadFile).
    getPathForFile: () => null,
    async uploadFile(file, session, relativePath) {
      try {
        const res = await fetch(uploadUrl(session, relativePath), { method: 'POST', body: file as Blob, credentials: 'same-origin' });
        const body = (await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }))) as { path?: string; folder?: string; error?: string };
        if (res.ok && body.path && body.folder) return { ok: true, value: { path: body.path, folder: body.folder } };
        return fail(res.status === 413 ? 'IMAGE_TOO_LARGE' : 'INVALID_INPUT', body.error ?? `${res.status} ${res.statusText}`);
      } catch (err) {
        return fail('NETWORK', `${relativePath}: ${err instanceof Error ? err.message : String(err)}`);
      }
    },
  };
}

/** Installs the bridge as window.scandesk (once) and returns it. */
export function installWsBridge(options?: WsBridgeOptions): ScanDeskApi {
  if (!window.scandesk) {
    Object.defineProperty(window, 'scandesk', { value: Object.freeze(createWsBridge(options)), configurable: false, writable: false });
  }
  return window.scandesk as ScanDeskApi;
}
