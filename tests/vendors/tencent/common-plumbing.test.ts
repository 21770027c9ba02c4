import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ScanError } from '../../../electron/core/errors';
import {
  Semaphore,
  TokenBucket,
  VendorCaller,
  deadline,
  httpStatusError,
  parseRetryAfter,
  redact,
  seededRandom,
  transportError,
  withRetry,
} from '../../../electron/core/vendors/common';
import { wechatError } from '../../../electron/core/vendors/wechat/errors';

describe('TokenBucket', () => {
  it('spaces requests at the configured rate (never faster)', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 50 });
    const stamps: number[] = [];
    // Measured from before the first request: load can only delay a stamp, never advance it,
    // so the bound holds on a busy machine. No tolerance: a timer that fires early (libuv's
    // millisecond clock) must not let a request leave before its slot.
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: 11 }, async () => {
        await bucket.take();
        stamps.push(performance.now());
      }),
    );
    stamps.sort((a, b) => a - b);
    // 11 tokens at 50/s: the last leaves at least 10 intervals (200 ms) after the first was asked for.
    expect(stamps[10]! - t0).toBeGreaterThanOrEqual(200);
    // Slots are reserved evenly: the i-th leaves no earlier than i intervals after the start.
    stamps.forEach((t, i) => expect(t - t0).toBeGreaterThanOrEqual(i * 20));
  });

  it('rejects a non-positive rate', () => {
    expect(() => new TokenBucket({ ratePerSecond: 0 })).toThrow(/positive/);
  });

  it('lets a waiter cancel', async () => {
    const bucket = new TokenBucket({ ratePerSecond: 1 });
    await bucket.take();
    const ac = new AbortController();
    const p = bucket.take(ac.signal);
    ac.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('Semaphore', () => {
  it('never runs more than its limit at once', async () => {
    const sem = new Semaphore(3);
    let active = 0;
    let peak = 0;
    await Promise.all(
      Array.from({ length: 20 }, () =>
        sem.run(async () => {
          active++;
          peak = Math.max(peak, active);
          await new Promise((r) => setTimeout(r, 5));
          active--;
        }),
      ),
    );
    expect(peak).toBe(3);
  });
});

describe('withRetry', () => {
  it('retries retry-class errors and returns the eventual answer', async () => {
    let calls = 0;
    const result = await withRetry(
      async () => {
        calls++;
        if (calls < 3) throw new ScanError('VENDOR_SERVER', 'boom');
        return 'ok';
      },
      { baseDelayMs: 1, random: seededRandom(1) },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(3);
  });

  it('waits at least Retry-After', async () => {
    let calls = 0;
    const t0 = performance.now();
    await withRetry(
      async () => {
        if (calls++ === 0) throw new ScanError('VENDOR_RATE_LIMIT', 'slow down', { retryAfterMs: 120 });
        return 1;
      },
      { baseDelayMs: 1, random: () => 0 },
    );
    expect(performance.now() - t0).toBeGreaterThanOrEqual(115);
  });

  it('gives up as a final error with the same code', async () => {
    let calls = 0;
    const err = await withRetry(
      async () => {
        calls++;
        throw new ScanError('NETWORK', 'down');
      },
      { maxAttempts: 4, baseDelayMs: 1 },
    ).catch((e: unknown) => e);
    expect(calls).toBe(4);
    expect(err).toBeInstanceOf(ScanError);
    expect((err as ScanError).code).toBe('NETWORK');
    expect((err as ScanError).errorClass).toBe('final');
    expect((err as ScanError).message).toMatch(/gave up after 4 attempts/);
  });

  it('does not retry final or stop-engine errors', async () => {
    let calls = 0;
    await expect(
      withRetry(async () => {
        calls++;
        throw new ScanError('VENDOR_AUTH', 'bad key');
      }),
    ).rejects.toMatchObject({ code: 'VENDOR_AUTH' });
    expect(calls).toBe(1);
  });
});

describe('redact', () => {
  it('removes known secrets and credential-shaped text', () => {
    const msg =
      'failed: Authorization: TC3-HMAC-SHA256 Credential=AKIDabc/2024-01-01/ocr/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168\n' +
      'GET /cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S3CR3Tvalue&access_token=TOKEN123 key=Gu5t9xGARNpq86cd98joQYCN3EXAMPLE';
    const out = redact(msg, ['Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'AKIDabc']);
    for (const s of ['Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'AKIDabc', '72e494ea809ad7a8', 'S3CR3Tvalue', 'TOKEN123']) {
      expect(out).not.toContain(s);
    }
    expect(out).toContain('[redacted]');
    expect(out).toContain('failed');
  });

  it('leaves ordinary messages alone', () => {
    expect(redact('The image could not be decoded (FailedOperation.ImageDecodeFailed).', ['zzzzzz'])).toBe(
      'The image could not be decoded (FailedOperation.ImageDecodeFailed).',
    );
  });

  it('keeps the prose after "secret:" / "token:" (WeChat\'s own messages read whole)', () => {
    for (const code of [40125, 40001, 40013]) {
      const { message } = wechatError(code, 'invalid appsecret, rid: 6543a1b2-0c3d4e5f', 'stable_token');
      expect(redact(message)).toBe(message);
    }
    expect(redact(wechatError(40125, '', 'stable_token').message)).toContain('rejected the AppSecret: copy the current AppSecret');
    expect(redact('The token: expired. Fetch a new one.')).toBe('The token: expired. Fetch a new one.');
    expect(redact('Secret: 请在控制台重置')).toBe('Secret: 请在控制台重置');
  });

  it('still removes every value-shaped thing after "secret:" / "token:", and any value after "=" or in quotes', () => {
    const cases: Array<[string, string]> = [
      ['AppSecret: 3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2 was refused', '3f2a9c0d1e4b5a6978c8d7e6f5a4b3c2'],
      ['secret: S3CR3Tvalue', 'S3CR3Tvalue'],
      ['SecretKey: Gu5t9xGARNpq86cd98joQYCN3EXAMPLE', 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE'],
      ['secret: abcdefghijklmnopqrstuvwxyzabcdef', 'abcdefghijklmnopqrstuvwxyzabcdef'],
      ['secret: aBcDeFgH', 'aBcDeFgH'],
      ['secret: hunter2!', 'hunter2'],
      ['x-tc-token: AQoDYXdzEJr1K2R4', 'AQoDYXdzEJr1K2R4'],
      ['token:eyJhbGciOiJIUzI1NiJ9.e30.sig', 'eyJhbGciOiJIUzI1NiJ9'],
      ['GET /token?secret=copy&token=expired', 'copy'],
      ['GET /token?token=expired', 'expired'],
      ['{"secret":"plain","token": "word"}', 'plain'],
      ['{"secret":"plain","token": "word"}', 'word'],
      ["{'access_token': 'abc'}", 'abc'],
    ];
    for (const [text, secret] of cases) {
      const out = redact(text);
      expect(out, text).not.toContain(secret);
      expect(out, text).toContain('[redacted]');
    }
  });
});

describe('VendorCaller', () => {
  it('stops after the first auth error and answers every later call with the same message, without calling', async () => {
    const caller = new VendorCaller({ vendor: 'Test', rateLimits: { Op: 1000 }, defaultRatePerSecond: 1000, concurrency: 2 });
    let calls = 0;
    const fail = async (): Promise<never> => {
      calls++;
      throw new ScanError('VENDOR_AUTH', 'Test refused the credentials.');
    };
    const e1 = await caller.call('Op', fail).catch((e: unknown) => e);
    const e2 = await caller.call('Op', fail).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(e1).toBe(e2);
    expect((e1 as ScanError).errorClass).toBe('stop-engine');
    expect(caller.stopped?.message).toBe('Test refused the credentials.');
  });

  it('does not latch when the call opts out (optional steps)', async () => {
    const caller = new VendorCaller({ vendor: 'Test', rateLimits: {}, defaultRatePerSecond: 1000, concurrency: 1 });
    await expect(
      caller.call('Enrich', async () => Promise.reject(new ScanError('VENDOR_UNAVAILABLE', 'offline')), { stopsEngine: false }),
    ).rejects.toMatchObject({ code: 'VENDOR_UNAVAILABLE' });
    expect(caller.stopped).toBeNull();
    await expect(caller.call('Op', async () => 42)).resolves.toBe(42);
  });

  it('scrubs secrets from messages and wraps foreign errors as INTERNAL', async () => {
    const secret = 'SuperSecretKey1234567890';
    const caller = new VendorCaller({
      vendor: 'Test',
      rateLimits: {},
      defaultRatePerSecond: 1000,
      concurrency: 1,
      secrets: () => [secret],
    });
    const e1 = await caller.call('Op', async () => Promise.reject(new ScanError('VENDOR_REJECTED', `bad ${secret}`))).catch((e: unknown) => e);
    const e2 = await caller.call('Op', async () => Promise.reject(new Error(`socket said ${secret}`))).catch((e: unknown) => e);
    expect((e1 as Error).message).not.toContain(secret);
    expect((e2 as ScanError).code).toBe('INTERNAL');
    expect((e2 as Error).message).not.toContain(secret);
  });

  it('retries server errors within the cap and reports each retry', async () => {
    const events: string[] = [];
    const caller = new VendorCaller({
      vendor: 'Test',
      rateLimits: {},
      defaultRatePerSecond: 1000,
      concurrency: 1,
      retry: { baseDelayMs: 1, random: seededRandom(7) },
      onEvent: (e) => events.push(e.type),
    });
    let n = 0;
    const v = await caller.call('Op', async () => {
      if (n++ < 2) throw new ScanError('VENDOR_SERVER', 'busy');
      return 'done';
    });
    expect(v).toBe('done');
    expect(events).toEqual(['retry', 'retry']);
  });
});

describe('HTTP helpers', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    // A server that accepts and never answers: the real shape of a hung vendor.
    server = createServer(() => undefined);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  });

  it('maps a hung request to TIMEOUT', async () => {
    const dl = deadline(150);
    const err = await fetch(`http://127.0.0.1:${port}/`, { signal: dl.signal })
      .then(() => null)
      .catch((e: unknown) => transportError('Test', e, dl))
      .finally(() => dl.dispose());
    expect(err?.code).toBe('TIMEOUT');
    expect(err?.errorClass).toBe('retry');
  });

  it('maps a refused connection to NETWORK and a caller abort to CANCELLED', async () => {
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const deadPort = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const dl = deadline(5000);
    const err = await fetch(`http://127.0.0.1:${deadPort}/`, { signal: dl.signal })
      .then(() => null)
      .catch((e: unknown) => transportError('Test', e, dl))
      .finally(() => dl.dispose());
    expect(err?.code).toBe('NETWORK');
    expect(err?.message).toMatch(/ECONNREFUSED/);

    const ac = new AbortController();
    const dl2 = deadline(5000, ac.signal);
    setTimeout(() => ac.abort(), 50);
    const err2 = await fetch(`http://127.0.0.1:${port}/`, { signal: dl2.signal })
      .then(() => null)
      .catch((e: unknown) => transportError('Test', e, dl2))
      .finally(() => dl2.dispose());
    expect(err2?.code).toBe('CANCELLED');
  });

  it('maps HTTP statuses and Retry-After', () => {
    expect(httpStatusError('T', 503, '2').code).toBe('VENDOR_SERVER');
    expect(httpStatusError('T', 503, '2').retryAfterMs).toBe(2000);
    expect(httpStatusError('T', 429).code).toBe('VENDOR_RATE_LIMIT');
    expect(httpStatusError('T', 403).errorClass).toBe('stop-engine');
    expect(httpStatusError('T', 400).errorClass).toBe('final');
    expect(parseRetryAfter(new Date(Date.now() + 3000).toUTCString())).toBeGreaterThan(1000);
  });
});
