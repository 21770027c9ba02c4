import { request } from 'node:http';
import WebSocket from 'ws';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP GET with full control of the Host/Cookie headers (fetch forbids setting Host). */
export function get(port: number, path: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET', headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('latin1') }));
    });
    req.on('error', reject);
    req.end();
  });
}

export function getBytes(port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; type: string; data: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), data: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * A session for a client without a browser, the way a browser gets one: a fresh one-time
 * address from the host, opened once; answers the `Cookie` header value to send from then on.
 */
export async function sessionCookie(host: { port: number; newUrl(): string }): Promise<string> {
  const u = new URL(host.newUrl());
  const r = await get(host.port, `${u.pathname}${u.search}`);
  if (r.status !== 303) throw new Error(`the host answered ${r.status} to a fresh address`);
  return String(r.headers['set-cookie']).split(';')[0]!;
}

/** Opens a WebSocket; resolves with it when open, or with the HTTP status the host refused with. */
export function openWs(port: number, headers: Record<string, string>, path = '/ws'): Promise<{ ws: WebSocket } | { status: number }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
    });
    ws.once('error', (err) => reject(err));
  });
}

/** A tiny client speaking the host's protocol, for round trips without a browser. */
export class WsClient {
  private nextId = 1;
  private readonly waiting = new Map<number, (r: unknown) => void>();
  readonly events: Array<{ name: string; payload: unknown }> = [];
  /** Every invoke and its answer, for checking answers against the contract. */
  readonly calls: Array<{ name: unknown; result: { ok: boolean; value?: unknown } }> = [];

  constructor(readonly ws: WebSocket) {
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString()) as { type: string; id?: number; result?: unknown; name?: string; payload?: unknown };
      if (msg.type === 'result' && typeof msg.id === 'number') {
        this.waiting.get(msg.id)?.(msg.result);
        this.waiting.delete(msg.id);
      } else if (msg.type === 'event') this.events.push({ name: String(msg.name), payload: msg.payload });
    });
  }

  async invoke(name: unknown, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }> {
    const result = (await this.sendRaw({ type: 'invoke', id: this.nextId, name, input }, this.nextId++)) as {
      ok: boolean;
      value?: unknown;
      error?: { code: string; message: string };
    };
    this.calls.push({ name, result });
    return result;
  }

  sendRaw(message: unknown, id: number): Promise<unknown> {
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify(message));
    });
  }

  async waitForEvent(name: string, timeoutMs = 20_000): Promise<unknown> {
    const start = Date.now();
    for (;;) {
      const e = this.events.find((x) => x.name === name);
      if (e) return e.payload;
      if (Date.now() - start > timeoutMs) throw new Error(`no ${name} event within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

/** The value of a typed request result (shared/contract), or a throw naming its error. */
export async function okValue<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as T;
}
