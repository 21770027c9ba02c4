import { createRequire } from 'node:module';
import {
  getInstance,
  scanGrayBuffer,
  setModuleArgs,
  ZBarConfigType,
  ZBarScanner,
  ZBarSymbolType,
  type ZBarSymbol,
} from '@undecaf/zbar-wasm';
import type { Gray } from './zxing';

/**
 * ZBar (@undecaf/zbar-wasm), second opinion for blurry EAN/UPC photos. In Node the package
 * reads zbar.wasm next to its own module file; we point it at node_modules explicitly so a
 * bundled main process (whose import.meta.url is elsewhere) still finds it, and so nothing is
 * ever fetched.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);

export function zbarWasmPath(): string {
  return nodeRequire.resolve('@undecaf/zbar-wasm/dist/zbar.wasm');
}

let instance: Promise<unknown> | null = null;

/** Only the retail symbologies: that is where ZBar beats ZXing, and fewer types, fewer ghosts. */
const ENABLED = [ZBarSymbolType.ZBAR_EAN13, ZBarSymbolType.ZBAR_EAN8, ZBarSymbolType.ZBAR_UPCA, ZBarSymbolType.ZBAR_UPCE];

/** Compiles the wasm module once per thread (scanners are cheap; see zbarRead). */
export function loadZBar(wasmPath: string = zbarWasmPath()): Promise<unknown> {
  if (!instance) {
    setModuleArgs({ locateFile: () => wasmPath });
    instance = getInstance();
  }
  return instance;
}

async function newScanner(): Promise<ZBarScanner> {
  const s = await ZBarScanner.create();
  s.setConfig(ZBarSymbolType.ZBAR_NONE, ZBarConfigType.ZBAR_CFG_ENABLE, 0);
  // UPC-A enabled on its own: reported as UPC-A rather than as a 13-digit EAN with a leading 0.
  for (const t of ENABLED) s.setConfig(t, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
  return s;
}

/**
 * One image, one scanner. A ZBar scanner is not stateless between images: its EAN decoder
 * holds the last half-symbol it read (ean_decoder_t left/right, cleared by ean_reset but not by
 * the per-scan-line ean_new_scan that zbar_scan_image calls), so a half read at the end of one
 * image could complete a half in the next one: a ghost EAN-13 whose left digits come from this
 * page and right digits from the previous one, or the same code with other corners. Reusing a
 * scanner made the answer depend on what the worker had decoded before; a fresh one costs
 * well under a millisecond.
 */
export async function zbarRead(g: Gray): Promise<ZBarSymbol[]> {
  await loadZBar();
  const scanner = await newScanner();
  try {
    const copy = new Uint8Array(g.data.length);
    copy.set(g.data);
    return await scanGrayBuffer(copy.buffer, g.width, g.height, scanner);
  } finally {
    scanner.destroy();
  }
}
