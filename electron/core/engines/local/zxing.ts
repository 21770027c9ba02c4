import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  binarizers,
  characterSets,
  contentTypes,
  defaultReaderOptions,
  eanAddOnSymbols,
  encodeFormats,
  prepareZXingModule,
  textModes,
  type ReaderOptions,
  type ReadResult,
  type ZXingReaderModule,
  type ZXingReaderOptions,
  type ZXingReadResult,
} from 'zxing-wasm/reader';

/**
 * ZXing-C++ (zxing-wasm reader build), loaded from node_modules. By default zxing-wasm fetches
 * its .wasm from a CDN, which fails offline and would leak that we are scanning: we always hand
 * it the binary ourselves.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
const nodeRequire = createRequire(import.meta.url);

let ready: Promise<ZXingReaderModule> | null = null;

export function zxingWasmPath(): string {
  return nodeRequire.resolve('zxing-wasm/reader/zxing_reader.wasm');
}

export function loadZXing(wasmPath: string = zxingWasmPath()): Promise<ZXingReaderModule> {
  if (!ready) {
    const buf = readFileSync(wasmPath);
    const wasmBinary = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
    ready = prepareZXingModule({ overrides: { wasmBinary }, fireImmediately: true });
  }
  return ready;
}

export interface Gray {
  data: Uint8Array; // one byte per pixel
  width: number;
  height: number;
}

/** The reader options as the wasm binding takes them (zxing-wasm's own mapping, from its exported tables). */
function toZXingOptions(options: ReaderOptions): ZXingReaderOptions {
  const o = { ...defaultReaderOptions, ...options };
  return {
    ...o,
    formats: encodeFormats(o.formats),
    binarizer: binarizers.indexOf(o.binarizer),
    eanAddOnSymbol: eanAddOnSymbols.indexOf(o.eanAddOnSymbol),
    textMode: textModes.indexOf(o.textMode),
    characterSet: characterSets.indexOf(o.characterSet as (typeof characterSets)[number]),
  };
}

function toReadResult(r: ZXingReadResult): ReadResult {
  return { ...r, orientation: r.rotation, contentType: contentTypes[r.contentType]! } as ReadResult;
}

/**
 * ZXing on a grey plane. zxing-wasm's readBarcodes takes RGBA ImageData and turns it into grey
 * in JavaScript before handing ZXing-C++ a grey pixmap; our pages are grey already, so the grey
 * bytes go to that same binding directly (for a full page, expanding to RGBA and back cost
 * about a tenth of the page's decode). ZXing sees exactly the pixels it saw through readBarcodes:
 * its luma of R=G=B=v is v.
 */
export async function zxingRead(g: Gray, options: ReaderOptions): Promise<ReadResult[]> {
  // Emscripten's heap functions (their types come from @types/emscripten, not installed here).
  const zxing = (await loadZXing()) as ZXingReaderModule & { _malloc(n: number): number; _free(p: number): void; HEAPU8: Uint8Array };
  const ptr = zxing._malloc(g.width * g.height);
  if (!ptr) throw new Error(`ZXing could not allocate ${g.width * g.height} bytes`);
  let results;
  try {
    zxing.HEAPU8.set(g.data.subarray(0, g.width * g.height), ptr);
    results = zxing.readBarcodesFromPixmap(ptr, g.width, g.height, toZXingOptions(options));
  } finally {
    zxing._free(ptr);
  }
  try {
    const out: ReadResult[] = [];
    for (let i = 0; i < results.size(); i++) out.push(toReadResult(results.get(i)!));
    return out;
  } finally {
    results.delete();
  }
}
