import { ScanError } from '../errors';

/**
 * Every size limit of the imaging layer, in one place. They protect the machine (a PNG that
 * declares 100000x100000 would need 40 GB of RGBA) and are checked from headers BEFORE any
 * pixel is decoded.
 */
export const IMAGE_LIMITS = {
  /** Largest page we decode, in pixels (a 108 MP phone photo or an A3 scan at 600 dpi fit). */
  maxPixels: 120_000_000,
  /** Longest side we accept at all; longer is a bomb or a panorama no code reader needs. */
  maxSide: 30_000,
  /** PDF pages are rendered at this resolution, */
  pdfDpi: 300,
  /** but never above this many pixels: a huge page (A0 poster) is rendered at a lower dpi. */
  pdfMaxPixels: 40_000_000,
  /** Most pages taken from one PDF or TIFF (intake's default; a longer file is refused whole). */
  maxPagesPerFile: 5_000,
  /**
   * V8 heap of each decode and prepare worker, in MB. Pixels live outside it (Buffers, wasm
   * memory); what grows inside is a document's parsed structure (pdf.js, pdf-lib) and drawing
   * lists. Far above a real page's needs: a crafted file that exceeds it ends that worker (the
   * pool replaces it) and fails alone with IMAGE_TOO_LARGE, instead of taking the machine.
   */
  workerHeapMb: 1_536,
} as const;

/** Throws IMAGE_TOO_LARGE when declared dimensions are absurd. `what` names the file for the user. */
export function assertDimensions(width: number, height: number, what: string): void {
  if (!Number.isFinite(width) || !Number.isFinite(height) || width <= 0 || height <= 0) {
    throw new ScanError('IMAGE_DECODE', `${what}: the image declares invalid dimensions (${width}x${height}).`);
  }
  const { maxPixels, maxSide } = IMAGE_LIMITS;
  if (width > maxSide || height > maxSide || width * height > maxPixels) {
    const mp = ((width * height) / 1e6).toFixed(1);
    throw new ScanError(
      'IMAGE_TOO_LARGE',
      `${what}: the image declares ${width}x${height} pixels (${mp} MP); the limit is ` +
        `${maxSide} px per side and ${maxPixels / 1e6} MP. Refused before decoding (possible decompression bomb).`,
    );
  }
}
