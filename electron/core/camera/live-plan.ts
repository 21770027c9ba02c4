import type { DecodePlan } from '../engines/local/decode';

/**
 * What the live camera preview runs on each sampled frame: ZXing's pass of the page plan
 * (try-harder, rotate, invert, downscale) and nothing else. The retries that rescue a hard
 * photo cost up to a second each; in a live picture the next frame, a moment later, is the
 * better retry. The captured frame itself goes through the full plan with the batch.
 */
export const LIVE_PLAN: DecodePlan = {
  fast: [{ name: 'zxing', decoder: 'zxing' }],
  retries: [],
};
