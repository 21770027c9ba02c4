import { DecodePool } from '../../electron/core/engines/local/pool';
import type { DecodeSuccess } from '../../electron/core/engines/local/protocol';
import type { Sample } from './samples';

export interface SampleResult {
  sample: Sample;
  reply?: DecodeSuccess;
  error?: string;
}

/**
 * Decodes every sample through the local decoder's worker pool (the threads the app runs),
 * `size` threads, in the given order; results keyed by path. The pool hands each worker the
 * next waiting page, so the order decides which pages each worker decodes one after another.
 */
export async function decodeSet(samples: Sample[], size: number): Promise<Map<string, SampleResult>> {
  const pool = new DecodePool({ size });
  try {
    const results = await Promise.all(
      samples.map(async (sample): Promise<SampleResult> => {
        try {
          const reply = await pool.run({ path: sample.path, page: 1, format: formatOf(sample.path) });
          return { sample, reply };
        } catch (err) {
          return { sample, error: String(err) };
        }
      }),
    );
    return new Map(results.map((r) => [r.sample.path, r]));
  } finally {
    await pool.close();
  }
}

/** A seeded shuffle (a fixed, reproducible order unlike the listing order). */
export function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function formatOf(path: string): 'png' | 'jpeg' | 'webp' {
  if (/\.jpe?g$/i.test(path)) return 'jpeg';
  if (/\.webp$/i.test(path)) return 'webp';
  return 'png';
}
