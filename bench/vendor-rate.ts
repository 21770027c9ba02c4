/**
 * Cloud vendor pacing, against the local Tencent OCR emulator (which rate-limits like the real
 * service): 300 real sample images through TencentEngine at the documented QrcodeOCR limit.
 *  - achieved requests/s ÷ configured limit (the baseline is the limit itself: 1.0 is perfect;
 *    target >= 0.9 with no RequestLimitExceeded answered);
 *  - bytes sent ÷ original file bytes (base64 as Tencent counts it, and the decoded payload).
 *
 * Run alone: node --import tsx bench/vendor-rate.ts   (VENDOR_RATE=10 to try another limit)
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CredentialProvider, VendorCredentials, VendorId } from '../electron/core/credentials/types';
import type { ImageSource } from '../electron/core/intake/types';
import { TencentEngine } from '../electron/core/vendors/tencent/engine';
import { startTencentEmulator } from '../tests/emulators/tencent/server';
import type { Bench, BenchRow } from './types';
import { SAMPLES as SAMPLES_ROOT } from '../tests/fixtures/samples';

const SAMPLES = join(SAMPLES_ROOT, 'zxing');
const COUNT = 300;
const SECRET_ID = 'AKIDbenchScanDesk000000000000EXAMPLE';
const SECRET_KEY = 'benchScanDeskSecretKey00000000EXAMPLE';

class BenchCredentials implements CredentialProvider {
  async get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null> {
    return vendor === 'tencent' ? ({ secretId: SECRET_ID, secretKey: SECRET_KEY } as unknown as VendorCredentials<V>) : null;
  }
}

/** 300 real images (PNG/JPEG from the zxing set), in a stable order. */
function images(): string[] {
  const all: string[] = [];
  for (const dir of readdirSync(SAMPLES).sort()) {
    const full = join(SAMPLES, dir);
    if (!statSync(full).isDirectory()) continue;
    for (const f of readdirSync(full).sort()) if (/\.(png|jpe?g)$/i.test(f)) all.push(join(full, f));
  }
  // Spread over every folder rather than the first few.
  const step = all.length / COUNT;
  return Array.from({ length: COUNT }, (_, i) => all[Math.floor(i * step) % all.length]!);
}

export const run: Bench = async () => {
  const rate = Number(process.env.VENDOR_RATE ?? 5); // QrcodeOCR's documented default
  const emu = await startTencentEmulator({ accounts: { [SECRET_ID]: SECRET_KEY }, rateLimits: { QrcodeOCR: rate } });
  const engine = new TencentEngine({
    credentials: new BenchCredentials(),
    endpoint: { endpoint: emu.endpoint, protocol: 'http://', resolveTo: '127.0.0.1' },
    defaults: { rateLimits: { QrcodeOCR: rate } },
  });
  try {
    const files = images();
    let original = 0;
    let sent = 0;
    let done = 0;
    let failed = 0;
    let busy = 0;
    const t0 = performance.now();
    // Like the runner: never more recognize() calls in flight than engine.concurrency.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < files.length) {
        const path = files[next++]!;
        const format = (path.toLowerCase().endsWith('.png') ? 'png' : 'jpeg') as ImageSource['format'];
        original += statSync(path).size;
        const c0 = performance.now();
        try {
          const r = await engine.recognize({ source: { path, page: 1, format, sha256: '' }, task: 'codes' });
          sent += r.bytesSent ?? 0;
          done++;
        } catch {
          failed++;
        }
        busy += performance.now() - c0;
      }
    };
    await Promise.all(Array.from({ length: engine.concurrency }, worker));
    const wall = (performance.now() - t0) / 1000;
    const arrivals = emu.stats.arrivals;
    const span = (arrivals[arrivals.length - 1]! - arrivals[0]!) / 1000;
    const achieved = (arrivals.length - 1) / span;
    const limited = emu.stats.errors.RequestLimitExceeded ?? 0;
    const ratio = achieved / rate;
    const rows: BenchRow[] = [
      {
        name: `vendor-rate: achieved / configured QrcodeOCR rate (${rate}/s, ${COUNT} images)`,
        value: ratio,
        unit: 'x',
        target: '>= 0.9',
        ok: ratio >= 0.9 && limited === 0,
        detail: `${arrivals.length} requests in ${span.toFixed(1)} s = ${achieved.toFixed(2)}/s; RequestLimitExceeded answered: ${limited}; done ${done}, failed ${failed}; wall ${wall.toFixed(1)} s; concurrency ${engine.concurrency}, mean recognize() ${(busy / files.length).toFixed(0)} ms`,
      },
      {
        name: 'vendor-rate: bytes sent (base64) / original file bytes',
        value: sent / original,
        unit: 'x',
        detail: `${(sent / 1e6).toFixed(2)} MB of base64 for ${(original / 1e6).toFixed(2)} MB of files; decoded payload ${((sent * 0.75) / original).toFixed(3)}x`,
      },
    ];
    return rows;
  } finally {
    await emu.close();
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (rows) => {
      for (const r of rows) console.log(`${r.name}: ${r.value.toFixed(3)} ${r.unit} ${r.target ?? ''} ${r.ok === undefined ? '' : r.ok ? 'ok' : 'BELOW TARGET'}\n  ${r.detail ?? ''}`);
      process.exit(0);
    },
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}
