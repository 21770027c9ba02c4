import sharp, { type Sharp } from 'sharp';
import { deconvolve } from './deconvolve';
import type { VariantTransform } from './geometry-map';
import type { Gray } from './zxing';

/** A re-rendering of the page that may decode where the page itself did not. */
export interface VariantSpec {
  /** variant pixels per page pixel. */
  scale?: number;
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
  const data = new Uint8Array(width * height);
  for (let i = 0, j = 0; i < data.length; i++, j += 4) {
    // ITU-R BT.601 luma in integers, as ZXing computes it.
    data[i] = (306 * rgba[j]! + 601 * rgba[j + 1]! + 117 * rgba[j + 2]! + 512) >> 10;
  }
  return { data, width, height };
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

export async function makeVariant(page: Gray, spec: VariantSpec): Promise<Variant> {
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
