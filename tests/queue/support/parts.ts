import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import sharp from 'sharp';
import { prepareZXingModule, readBarcodes, ZXING_WASM_VERSION } from 'zxing-wasm/reader';
import type { Detection } from '../../../shared/detection';
import type { Engine, RecognizeRequest, RecognizeResult } from '../../../electron/core/engines/engine';
import type { IntakeItem, IntakeResult } from '../../../electron/core/intake/types';

/**
 * TEMPORARY until intake's expandPaths and the LocalEngine are committed: a small real engine
 * (zxing-wasm on sharp-oriented pixels) and a small real intake, so the queue can be tested on
 * real files meanwhile.
 */
const require = createRequire(import.meta.url);
let ready: Promise<unknown> | null = null;

export class DevZxingEngine implements Engine {
  readonly id = 'local' as const;
  readonly tasks = ['codes'] as const;
  readonly concurrency = 2;
  async recognize(req: RecognizeRequest): Promise<RecognizeResult> {
    if (!ready) {
      const buf = readFileSync(require.resolve('zxing-wasm/reader/zxing_reader.wasm'));
      ready = prepareZXingModule({
        overrides: { wasmBinary: buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength) },
        fireImmediately: true,
      });
    }
    await ready;
    const { data, info } = await sharp(req.source.path, { page: req.source.page - 1 })
      .rotate()
      .ensureAlpha()
      .raw()
      .toBuffer({ resolveWithObject: true });
    const found = await readBarcodes(
      { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: 'srgb' } as unknown as Parameters<typeof readBarcodes>[0],
      { tryHarder: true, maxNumberOfSymbols: 8 },
    );
    const detections: Detection[] = found
      .filter((r) => r.isValid)
      .map((r) => ({
        kind: 'code',
        symbology: r.format,
        text: r.text,
        geometry: {
          kind: 'quad',
          points: [r.position.topLeft, r.position.topRight, r.position.bottomRight, r.position.bottomLeft].map((p) => ({ x: p.x, y: p.y })),
        },
        engine: 'local',
      }));
    return { detections, pageWidth: info.width, pageHeight: info.height, engineVersion: `dev zxing-wasm ${ZXING_WASM_VERSION}` };
  }
}

function formatOf(buf: Buffer): IntakeItem['format'] {
  if (buf[0] === 0xff && buf[1] === 0xd8) return 'jpeg';
  if (buf.subarray(0, 4).toString('latin1') === '\x89PNG') return 'png';
  if (buf.subarray(0, 4).toString('latin1') === 'RIFF' && buf.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  return null;
}

export async function devIntake(paths: string[]): Promise<IntakeResult> {
  const out: IntakeResult = { items: [], skipped: [] };
  const visit = (p: string) => {
    const abs = resolve(p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      out.items.push({ path: abs, page: 1, pageCount: 1, format: null, size: 0, sha256: null, error: { code: 'FILE_NOT_FOUND', message: `${abs} does not exist.` } });
      return;
    }
    if (st.isDirectory()) {
      for (const f of readdirSync(abs).sort()) visit(join(abs, f));
      return;
    }
    const buf = readFileSync(abs);
    const format = formatOf(buf);
    if (!format) {
      out.skipped.push({ path: abs, reason: 'Not an image.' });
      return;
    }
    out.items.push({ path: abs, page: 1, pageCount: 1, format, size: buf.length, sha256: createHash('sha256').update(buf).digest('hex'), error: null });
  };
  paths.forEach(visit);
  return out;
}

export function realEngine(): Engine {
  return new DevZxingEngine();
}

export const realIntake = devIntake;
