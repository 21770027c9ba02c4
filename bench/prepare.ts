/**
 * prepare() throughput against the bare minimum a caller could do with sharp
 * (`rotate().resize().jpeg()`), on the same large phone photos, interleaved in one run.
 * Target: prepare keeps >= 0.8 of the bare loop's throughput (its extra work: header checks,
 * one raw decode reused across attempts, budget accounting).
 *
 * Second row (information): a full-resolution budget that forces quality and size steps
 * (WeChat's 2 MiB of file), against one full-resolution encode.
 *
 * Run alone: node --import tsx bench/prepare.ts
 */
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import sharp from 'sharp';
import { prepare } from '../electron/core/imaging/prepare';
import type { Budget } from '../electron/core/imaging/types';
import { makeBigPhoto, type BigPhoto } from '../tests/fixtures/big-photos';
import type { Bench, BenchRow } from './types';

const MiB = 1024 * 1024;
const ROUNDS = 3;

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

/** Interleaves product and baseline per photo, per round, so machine load hits both alike. */
async function sideBySide(
  photos: BigPhoto[],
  product: (p: BigPhoto) => Promise<unknown>,
  baseline: (p: BigPhoto) => Promise<unknown>,
): Promise<{ product: number; baseline: number; n: number }> {
  for (const p of photos) {
    await product(p); // warm-up (pdf/heif code paths, libvips caches)
    await baseline(p);
  }
  let a = 0;
  let b = 0;
  for (let r = 0; r < ROUNDS; r++) {
    for (const p of photos) {
      if (r % 2 === 0) {
        a += await time(() => product(p));
        b += await time(() => baseline(p));
      } else {
        b += await time(() => baseline(p));
        a += await time(() => product(p));
      }
    }
  }
  return { product: a, baseline: b, n: ROUNDS * photos.length };
}

export const run: Bench = async () => {
  const cache = join(tmpdir(), 'scandesk-big-photos-v1');
  mkdirSync(cache, { recursive: true });
  const photos = [await makeBigPhoto(cache, 0), await makeBigPhoto(cache, 1), await makeBigPhoto(cache, 2)];
  const rows: BenchRow[] = [];

  const side = 2048;
  const tencent: Budget = { maxBytes: 3 * MiB, countAs: 'base64', formats: ['jpeg', 'png'], maxSide: side, minSide: 1000 };
  const typical = await sideBySide(
    photos,
    (p) => prepare({ path: p.path, page: 1, format: 'jpeg' }, tencent),
    (p) => sharp(p.path).rotate().resize({ width: side, height: side, fit: 'inside' }).jpeg({ quality: 85 }).toBuffer(),
  );
  const ratio = typical.baseline / typical.product;
  rows.push({
    name: 'prepare: 12 MP photos -> 3 MiB base64, max side 2048 (vs sharp resize+jpeg)',
    value: ratio,
    unit: 'x',
    target: '>= 0.8',
    ok: ratio >= 0.8,
    detail: `prepare ${((typical.product / typical.n) * 1000).toFixed(0)} ms/photo, bare sharp ${((typical.baseline / typical.n) * 1000).toFixed(0)} ms/photo, ${typical.n} photos each`,
  });

  const wechat: Budget = { maxBytes: 2 * MiB - 1, countAs: 'file', formats: ['jpeg', 'png'], minSide: 1000 };
  const steps = await sideBySide(
    photos,
    (p) => prepare({ path: p.path, page: 1, format: 'jpeg' }, wechat),
    (p) => sharp(p.path).rotate().jpeg({ quality: 85 }).toBuffer(),
  );
  const r2 = steps.baseline / steps.product;
  rows.push({
    name: 'prepare: 12 MP photos -> 2 MiB file, full size (quality/size steps)',
    value: r2,
    unit: 'x',
    detail: `prepare ${((steps.product / steps.n) * 1000).toFixed(0)} ms/photo, one full-size sharp encode ${((steps.baseline / steps.n) * 1000).toFixed(0)} ms/photo`,
  });
  return rows;
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const r of await run()) console.log(`${r.name}: ${r.value.toFixed(3)}${r.unit} (target ${r.target ?? '-'}) ${r.ok === false ? 'BELOW TARGET' : ''}\n  ${r.detail}`);
}
