/**
 * ITU-R BT.601 luma in integers, as ZXing computes it, of pixels with `channels` bands (3: RGB,
 * 4: RGBA, alpha ignored: the pixels are opaque or flattened already). Grey stays itself:
 * 306 + 601 + 117 = 1024.
 */
export function lumaOf(rgb: Uint8Array, width: number, height: number, channels: 3 | 4): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < out.length; i++, j += channels) out[i] = (306 * rgb[j]! + 601 * rgb[j + 1]! + 117 * rgb[j + 2]! + 512) >> 10;
  return out;
}
