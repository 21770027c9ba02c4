import sharp, { type Sharp } from 'sharp';
import { lumaOf } from '../../imaging/luma';
import { deconvolve } from './deconvolve';
import type { VariantTransform } from './geometry-map';
import type { Gray } from './zxing';

/** A re-rendering of the page that may decode where the page itself did not. */
export interface VariantSpec {
  /** variant pixels per page pixel. */
  scale?: number;
  /**
   * Halve by averaging each 2x2 block (instead of `scale`): a full page's cheap pass needs its
   * half-size copy fast, and a box average costs a fifth of a lanczos3 resize of 8.7 MP.
   */
  halve?: boolean;
  /** Clockwise degrees; for codes tilted off the axes (ZXing already tries 90/180/270). */
  angle?: number;
  /** Local contrast equalisation, for glare and uneven light. */
  clahe?: boolean;
  /** Richardson-Lucy deconvolution (deconvolve.ts), last: a Gaussian defocus of `sigma` variant pixels. */
  deblur?: { sigma: number; iterations: number };
  /** White border in page pixels, added first: a quiet zone for codes that touch the edge. */
  pad?: number;
  /** Only this region of the page (cut before anything else), e.g. around a code already found. */
  crop?: { left: number; top: number; width: number; height: number };
  /**
   * Regions of the page painted white first (codes already read), so a retry on a page of
   * several codes looks only for the others and cannot spend its time on the easy ones.
   */
  mask?: Array<{ left: number; top: number; width: number; height: number }>;
}

export interface Variant {
  gray: Gray;
  transform: VariantTransform;
}

export function toGray(rgba: Uint8Array, width: number, height: number): Gray {
  return { data: lumaOf(rgba, width, height, 4), width, height };
}

const WHITE = { r: 255, g: 255, b: 255 };

interface RawGray {
  buf: Buffer;
  width: number;
  height: number;
}

/** One sharp operation on a one-channel raw image, back to one-channel raw pixels. */
async function grayStep(img: RawGray, op: (s: Sharp) => Sharp): Promise<RawGray> {
  const r = await op(sharp(img.buf, { raw: { width: img.width, height: img.height, channels: 1 } }))
    .extractChannel(0)
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { buf: r.data, width: r.info.width, height: r.info.height };
}

/** Each 2x2 block averaged (rounded); an odd last row or column is dropped. */
export function halveGray(g: Gray): Gray {
  const w = g.width >> 1;
  const h = g.height >> 1;
  const src = g.data;
  const W = g.width;
  const data = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    let a = 2 * y * W;
    let b = a + W;
    let o = y * w;
    for (let x = 0; x < w; x++, a += 2, b += 2, o++) data[o] = (src[a]! + src[a + 1]! + src[b]! + src[b + 1]! + 2) >> 2;
  }
  return { data, width: w, height: h };
}

export async function makeVariant(page: Gray, spec: VariantSpec): Promise<Variant> {
  if (spec.halve && !spec.crop && !spec.pad && !spec.angle && !spec.clahe && (spec.scale ?? 1) === 1 && page.width > 1 && page.height > 1) {
    const gray = halveGray(page);
    const { width, height } = gray;
    return {
      gray,
      transform: {
        // exactly half: variant pixel x covers page pixels 2x and 2x+1 (an odd last one is dropped)
        sx: 0.5,
        sy: 0.5,
        angle: 0,
        pad: 0,
        offsetX: 0,
        offsetY: 0,
        pageWidth: page.width,
        pageHeight: page.height,
        width,
        height,
      },
    };
  }
  const scale = spec.scale ?? 1;
  const angle = spec.angle ?? 0;
  // crop -> pad -> rotate (the canvas grows, centred) -> resize -> CLAHE; the transform records all
  // but the last.
  let img: RawGray = { buf: Buffer.from(page.data.buffer, page.data.byteOffset, page.data.byteLength), width: page.width, height: page.height };
  if (spec.mask?.length) img = { ...img, buf: masked(img, spec.mask) };
  const crop = spec.crop ? clampRegion(spec.crop, img.width, img.height) : null;
  if (crop) img = await grayStep(img, (s) => s.extract(crop));
  const pad = spec.pad ?? 0;
  if (pad > 0) {
    img = await grayStep(img, (s) => s.extend({ top: pad, bottom: pad, left: pad, right: pad, background: WHITE }));
  }
  const paddedWidth = img.width;
  const paddedHeight = img.height;
  if (angle !== 0) img = await grayStep(img, (s) => s.rotate(angle, { background: WHITE }));
  const { buf, width, height } = img;
  let pipe = sharp(buf, { raw: { width, height, channels: 1 } });
  if (scale !== 1) {
    pipe = pipe.resize(Math.max(1, Math.round(width * scale)), Math.max(1, Math.round(height * scale)), {
      kernel: scale > 1 ? 'cubic' : 'lanczos3',
      fit: 'fill',
    });
  }
  // CLAHE's window must fit inside the image.
  const outW = Math.round(width * scale);
  const outH = Math.round(height * scale);
  if (spec.clahe && outW > 24 && outH > 24) pipe = pipe.clahe({ width: 24, height: 24, maxSlope: 4 });
  const out = await pipe.extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  // the real factors, after rounding to whole pixels
  const sx = out.info.width / width;
  const sy = out.info.height / height;
  const made: Gray = { data: out.data, width: out.info.width, height: out.info.height };
  return {
    gray: spec.deblur ? deconvolve(made, spec.deblur.sigma, spec.deblur.iterations) : made,
    transform: {
      sx,
      sy,
      angle,
      pad,
      offsetX: crop?.left ?? 0,
      offsetY: crop?.top ?? 0,
      pageWidth: paddedWidth,
      pageHeight: paddedHeight,
      width: out.info.width,
      height: out.info.height,
    },
  };
}

/** A copy of the page with each region white (the page itself is never changed). */
function masked(img: RawGray, regions: NonNullable<VariantSpec['mask']>): Buffer {
  const out = Buffer.from(img.buf);
  for (const r of regions) {
    const c = clampRegion(r, img.width, img.height);
    for (let y = c.top; y < c.top + c.height; y++) out.fill(255, y * img.width + c.left, y * img.width + c.left + c.width);
  }
  return out;
}

function clampRegion(r: NonNullable<VariantSpec['crop']>, width: number, height: number) {
  const left = Math.max(0, Math.min(width - 1, Math.floor(r.left)));
  const top = Math.max(0, Math.min(height - 1, Math.floor(r.top)));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.ceil(r.width))),
    height: Math.max(1, Math.min(height - top, Math.ceil(r.height))),
  };
}
