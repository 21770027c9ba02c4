import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';

/**
 * A small real HTTP proxy for tests: it answers CONNECT by opening a TCP tunnel to the target
 * and piping bytes both ways (what corporate proxies do for https, and for http through
 * agents that always tunnel). It records every CONNECT target and the bytes that went through
 * each tunnel, can require Basic proxy authentication, and never resolves names itself beyond
 * what net.connect does (tests tunnel to 127.0.0.1). Plain absolute-form requests are refused
 * with 405, so a client that bypasses CONNECT shows up as a failure.
 */
export interface ConnectProxy {
  /** http://127.0.0.1:PORT (no credentials). */
  url: string;
  port: number;
  /** Every CONNECT accepted: the target as asked ("host:port") and the bytes each way. */
  tunnels: Array<{ target: string; up: number; down: number }>;
  /** CONNECTs refused (wrong or missing credentials). */
  refused: string[];
  /** Other requests (not CONNECT) that reached the proxy. */
  plain: string[];
  /** URL with credentials for this proxy (for HTTPS_PROXY), when it requires them. */
  urlWithCredentials(): string;
  close(): Promise<void>;
}

export async function startConnectProxy(options: { user?: string; password?: string } = {}): Promise<ConnectProxy> {
  const tunnels: ConnectProxy['tunnels'] = [];
  const refused: string[] = [];
  const plain: string[] = [];
  const sockets = new Set<Socket>();
  const expected = options.user ? `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}` : null;

  const server: Server = createServer((req, res) => {
    plain.push(`${req.method} ${req.url}`);
    res.writeHead(405).end();
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const target = req.url ?? '';
    if (expected && req.headers['proxy-authorization'] !== expected) {
      refused.push(target);
      client.end('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const [host, port] = target.replace(/^\[|\](?=:)/g, '').split(/:(?=\d+$)/) as [string, string];
    const record = { target, up: head.length, down: 0 };
    tunnels.push(record);
    const upstream = connect(Number(port), host, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) upstream.write(head);
      client.on('data', (c: Buffer) => (record.up += c.length));
      upstream.on('data', (c: Buffer) => (record.down += c.length));
      client.pipe(upstream);
      upstream.pipe(client);
    });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    tunnels,
    refused,
    plain,
    urlWithCredentials: () => `http://${encodeURIComponent(options.user ?? '')}:${encodeURIComponent(options.password ?? '')}@127.0.0.1:${port}`,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
