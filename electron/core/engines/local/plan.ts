import type { DecodePlan } from './decode';

/**
 * The decode strategy, tuned on the labelled real-sample set (tests/quality/real-samples.test.ts;
 * measured numbers in its output). None of these steps reported anything on the false-positive set.
 *
 * Fast path, every page: ZXing-C++ with try-harder/rotate/invert/downscale (~90% of the set
 * alone), plus ZBar's EAN/UPC scanner, which is cheap and finds low-contrast retail codes that
 * ZXing's linear binarizer loses on a mostly white page (e.g. a product code beside a QR code).
 *
 * Retries, only on pages where ZXing found nothing, the most productive per millisecond first
 * (greedy choice over the failures of the fast path); the first step that finds codes ends it.
 * On a sheet of several codes they run anyway, around the codes already read (`sheet`).
 * What each step costs and gains on the real set: the step table the quality test prints.
 */
export const DEFAULT_PLAN: DecodePlan = {
  fast: [
    { name: 'zxing', decoder: 'zxing' },
    { name: 'zbar', decoder: 'zbar' },
  ],
  retries: [
    // Small photos (modules 1-2 px wide): a 2x bicubic copy gives the binarizer room; the
    // global-histogram binarizer copes better with the soft edges the upscale leaves.
    { name: 'zxing-2x-histogram', decoder: 'zxing', variant: { scale: 2 }, zxing: { binarizer: 'GlobalHistogram' }, maxSide: 1200 },
    // Evenly lit prints where the adaptive threshold breaks thin bars apart.
    { name: 'zxing-fixed', decoder: 'zxing', zxing: { binarizer: 'FixedThreshold' }, maxSide: 2600 },
    // Glare and uneven light: local contrast equalisation (CLAHE).
    { name: 'zxing-clahe', decoder: 'zxing', variant: { clahe: true }, maxSide: 2000 },
    // Retail codes photographed slightly out of focus (modules ~2 px, edges a pixel soft): a
    // Richardson-Lucy deconvolution (deconvolve.ts) restores the bars a binarizer needs. Retail
    // only: that is what fixed-focus phone photos of products are, and fewer formats, fewer ghosts.
    // Reads 4 upca-2 photos no other step reads; heavier defocus (zxing/ean13-5) it does not.
    {
      name: 'zxing-deblur',
      decoder: 'zxing',
      variant: { deblur: { sigma: 1, iterations: 10 } },
      zxing: { formats: ['EAN13', 'EAN8', 'UPCA', 'UPCE'] },
      // small photos only: where a pixel of defocus is a module's width (and the cost is small)
      maxSide: 400,
      notOnSheets: true,
    },
    // Last and costliest (CLAHE on the 2x copy is most of its time): on the real set it reads
    // only retail codes. Retail only: same gains, fewer formats to misread.
    {
      name: 'zxing-2x-clahe',
      decoder: 'zxing',
      variant: { scale: 2, clahe: true },
      zxing: { formats: ['EAN13', 'EAN8', 'UPCA', 'UPCE'] },
      // Small photos only: everything it reads on the real set is at most 447 px (modules of
      // 1-2 px, which the 2x copy widens); on a 640x480 photo with no code it spent 0.4-1.9 s
      // each for nothing (a third of all decode time), and a larger photo's modules are wide
      // enough for the 1x steps.
      maxSide: 500,
      // ~1 s on a sheet of several codes, where printed retail codes are read by the fast pass
      notOnSheets: true,
    },
  ],
  // Two codes read by ZXing: a sheet of codes, where a hard one may sit beside the easy ones.
  // On the real set (photos of one code each) 16 pages qualified and nothing was gained there:
  // its cost is the price of not losing the fourth code of a sheet (tests/engine/multi-code).
  sheet: { minCodes: 2 },
  addOn: {
    name: 'zxing-addon',
    decoder: 'zxing',
    zxing: { formats: ['EAN13', 'UPCA', 'UPCE'], eanAddOnSymbol: 'Require' },
  },
};
