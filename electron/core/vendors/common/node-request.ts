import type { Agent, IncomingHttpHeaders } from 'node:http';
import { nodeHttp, nodeHttps } from './node-modules';

export interface NodeResponse {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
}

/** Answers larger than this are cut off with an error (a vendor's JSON is a few KB). */
const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

/**
 * One HTTP exchange on Node's own client, through `agent` (direct, pinned, or a proxy tunnel:
 * see ./proxy.ts), so every vendor takes the same network path. Rejects with the transport's
 * error (the caller turns it into NETWORK/TIMEOUT/CANCELLED); never includes the URL in what it
 * throws (WeChat URLs carry the access token).
 */
export function nodeRequest(
  url: string,
  init: { method: string; headers?: Record<string, string>; body?: Buffer; agent?: Agent; signal: AbortSignal },
): Promise<NodeResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? nodeHttps().request : nodeHttp().request;
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: init.method,
        headers: { ...init.headers, ...(init.body ? { 'content-length': String(init.body.length) } : {}) },
        agent: init.agent,
        signal: init.signal,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size > MAX_ANSWER_BYTES) res.destroy(Object.assign(new Error('answer too large'), { code: 'ECONNRESET' }));
          else chunks.push(c);
        });
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}
