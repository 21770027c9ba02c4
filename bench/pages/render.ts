import { existsSync } from 'node:fs';
import { createCanvas, GlobalFonts } from '@napi-rs/canvas';
import { seeded } from '../../tests/emulators/common/seeded';
import { DPI, PAGE_PX, type PageLayout } from './layout';

/** One scanned page: 8-bit gray, PAGE_PX in size; `bilevel` pages hold only 0 and 255. */
export interface GrayPage {
  data: Buffer;
  width: number;
  height: number;
  bilevel: boolean;
}

const FONT_DIR = '/usr/share/fonts/truetype/dejavu';
let fontsReady = false;
function fonts(): void {
  if (fontsReady) return;
  fontsReady = true;
  // Debian's fonts-dejavu-core; without it the canvas falls back to whatever font it finds.
  for (const [file, alias] of [
    ['DejaVuSans.ttf', 'BenchSans'],
    ['DejaVuSans-Bold.ttf', 'BenchSansBold'],
  ] as const) {
    if (existsSync(`${FONT_DIR}/${file}`)) GlobalFonts.registerFromPath(`${FONT_DIR}/${file}`, alias);
  }
}

const PX_PER_MM = DPI / 25.4;

/**
 * The content drawn onto the portrait page: centred, turned by the page's rotation plus skew
 * (clockwise, canvas convention). Shared with the vector PDF so both show the same page.
 */
export function contentTransform(p: PageLayout): { angle: number; cx: number; cy: number } {
  return { angle: p.rotate + p.skew, cx: p.width / 2, cy: p.height / 2 };
}

/** Draws the page at 300 dpi and applies the scan's effects (deterministic from the page). */
export function renderPage(p: PageLayout): GrayPage {
  fonts();
  const { width, height } = PAGE_PX;
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#ffffff';
  ctx.fillRect(0, 0, width, height);
  const t = contentTransform(p);
  ctx.translate(width / 2, height / 2);
  ctx.rotate((t.angle * Math.PI) / 180);
  ctx.scale(PX_PER_MM, PX_PER_MM);
  ctx.translate(-t.cx, -t.cy);
  ctx.fillStyle = '#000000';
  for (const r of p.rects) ctx.fillRect(r.x, r.y, r.w, r.h);
  for (const line of p.text) {
    ctx.font = `${(line.size * 25.4) / 72}px ${line.bold ? 'BenchSansBold' : 'BenchSans'}, sans-serif`;
    ctx.fillText(line.text, line.x, line.y);
  }
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = Buffer.allocUnsafe(width * height);
  for (let i = 0, j = 0; i < gray.length; i++, j += 4) gray[i] = rgba[j + 1]!;
  return applyEffect(p, { data: gray, width, height, bilevel: false });
}

/**
 * What a scanner does to the page: a little noise on every page; low contrast (grey paper, faded
 * toner); fax-like pages thresholded to 1 bit with speckles. Seeded by the page index.
 */
function applyEffect(p: PageLayout, g: GrayPage): GrayPage {
  const r = seeded(9_000 + p.index);
  const d = g.data;
  if (p.effect === 'fax') {
    for (let i = 0; i < d.length; i++) {
      let v = d[i]! < 140 ? 0 : 255;
      if (r() < 0.0004) v = 255 - v; // speckles
      d[i] = v;
    }
    return { ...g, bilevel: true };
  }
  // Clean pages: the scanner's background removal leaves the paper white; the ink and its
  // edges keep some noise. Low-contrast pages: grey paper, faded toner, noise everywhere.
  const low = p.effect === 'low-contrast';
  const ink = low ? 105 : 25;
  const paper = low ? 200 : 255;
  const noise = low ? 18 : 10;
  for (let i = 0; i < d.length; i++) {
    const s = d[i]!;
    if (!low && s === 255) continue;
    const v = ink + ((paper - ink) * s) / 255 + (r() - 0.5) * noise;
    d[i] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return g;
}
