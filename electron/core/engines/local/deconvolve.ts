import type { Gray } from './zxing';

/**
 * Richardson-Lucy deconvolution with a Gaussian blur kernel: undoes some of the defocus of a
 * fixed-focus phone camera, where an unsharp mask only steepens the edges it can still see. It
 * works on grey + 1, so every multiplicative update keeps values positive (on darkness, the
 * other choice, it read none of the blurred retail photos this one reads). Plain JavaScript on
 * Float32Arrays: the same
 * arithmetic in the same order on every CPU, so the same page gives the same pixels.
 */
export function deconvolve(g: Gray, sigma: number, iterations: number): Gray {
  const { width: w, height: h } = g;
  const n = w * h;
  const observed = new Float32Array(n);
  for (let i = 0; i < n; i++) observed[i] = g.data[i]! + 1;
  const estimate = Float32Array.from(observed);
  const kernel = gaussian(sigma);
  const tmp = new Float32Array(n);
  const blurred = new Float32Array(n);
  const ratio = new Float32Array(n);
  for (let it = 0; it < iterations; it++) {
    blur(estimate, w, h, kernel, tmp, blurred);
    for (let i = 0; i < n; i++) ratio[i] = observed[i]! / Math.max(blurred[i]!, 1e-3);
    // the kernel is symmetric: its mirror, for the correction step, is itself
    blur(ratio, w, h, kernel, tmp, blurred);
    for (let i = 0; i < n; i++) estimate[i] = estimate[i]! * blurred[i]!;
  }
  const data = new Uint8Array(n);
  for (let i = 0; i < n; i++) data[i] = Math.max(0, Math.min(255, Math.round(estimate[i]! - 1)));
  return { data, width: w, height: h };
}

function gaussian(sigma: number): Float32Array {
  const r = Math.max(1, Math.ceil(3 * sigma));
  const k = new Float32Array(2 * r + 1);
  let sum = 0;
  for (let i = -r; i <= r; i++) sum += k[i + r] = Math.exp((-i * i) / (2 * sigma * sigma));
  for (let i = 0; i < k.length; i++) k[i]! /= sum;
  return k;
}

/** Separable blur, the page's edge repeated beyond it (clamped only near the edges: the hot loop). */
function blur(src: Float32Array, w: number, h: number, k: Float32Array, tmp: Float32Array, out: Float32Array): void {
  const r = (k.length - 1) / 2;
  for (let y = 0; y < h; y++) {
    const row = y * w;
    for (let x = 0; x < w; x++) {
      let a = 0;
      if (x >= r && x < w - r) for (let i = -r; i <= r; i++) a += k[i + r]! * src[row + x + i]!;
      else for (let i = -r; i <= r; i++) a += k[i + r]! * src[row + Math.min(w - 1, Math.max(0, x + i))]!;
      tmp[row + x] = a;
    }
  }
  for (let y = 0; y < h; y++) {
    const inside = y >= r && y < h - r;
    for (let x = 0; x < w; x++) {
      let a = 0;
      if (inside) for (let i = -r; i <= r; i++) a += k[i + r]! * tmp[(y + i) * w + x]!;
      else for (let i = -r; i <= r; i++) a += k[i + r]! * tmp[Math.min(h - 1, Math.max(0, y + i)) * w + x]!;
      out[y * w + x] = a;
    }
  }
}
