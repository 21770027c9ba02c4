import { createRequire } from 'node:module';
import {
  getDefaultScanner,
  scanGrayBuffer,
  setModuleArgs,
  ZBarConfigType,
  ZBarSymbolType,
  type ZBarScanner,
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

let scanner: Promise<ZBarScanner> | null = null;

/** Only the retail symbologies: that is where ZBar beats ZXing, and fewer types, fewer ghosts. */
const ENABLED = [ZBarSymbolType.ZBAR_EAN13, ZBarSymbolType.ZBAR_EAN8, ZBarSymbolType.ZBAR_UPCA, ZBarSymbolType.ZBAR_UPCE];

export function loadZBar(wasmPath: string = zbarWasmPath()): Promise<ZBarScanner> {
  if (!scanner) {
    setModuleArgs({ locateFile: () => wasmPath });
    scanner = getDefaultScanner().then((s) => {
      s.setConfig(ZBarSymbolType.ZBAR_NONE, ZBarConfigType.ZBAR_CFG_ENABLE, 0);
      for (const t of ENABLED) s.setConfig(t, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
      // Report UPC-A as UPC-A rather than as a 13-digit EAN with a leading 0.
      s.setConfig(ZBarSymbolType.ZBAR_UPCA, ZBarConfigType.ZBAR_CFG_ENABLE, 1);
      return s;
    });
  }
  return scanner;
}

export async function zbarRead(g: Gray): Promise<ZBarSymbol[]> {
  const s = await loadZBar();
  const copy = new Uint8Array(g.data.length);
  copy.set(g.data);
  return scanGrayBuffer(copy.buffer, g.width, g.height, s);
}
