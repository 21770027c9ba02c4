import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES } from '../fixtures/samples';

/** The labelled real test images (tests/fixtures/samples.ts says where they are found). */
export const SAMPLES_ROOT = SAMPLES;

export type SampleSource = 'zxing' | 'zxing-cpp';

export interface Sample {
  source: SampleSource;
  folder: string; // e.g. 'qrcode-2'
  path: string;
  /** Expected payload: text (.txt) or raw bytes (.bin); null in falsepositives folders. */
  expected: { kind: 'text'; text: string } | { kind: 'bytes'; bytes: Buffer } | null;
  /** Extra facts: zxing <stem>.metadata.txt or zxing-cpp <stem>.result.txt, as key=value. */
  meta: Record<string, string>;
}

const IMAGE_EXT = /\.(png|jpe?g|webp)$/i;

function readMeta(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

export function listSamples(root = SAMPLES_ROOT): Sample[] {
  const out: Sample[] = [];
  for (const source of ['zxing', 'zxing-cpp'] as const) {
    const srcDir = join(root, source);
    for (const folder of readdirSync(srcDir, { withFileTypes: true })) {
      if (!folder.isDirectory()) continue;
      const dir = join(srcDir, folder.name);
      for (const name of readdirSync(dir).sort()) {
        if (!IMAGE_EXT.test(name)) continue;
        const stem = join(dir, name.replace(IMAGE_EXT, ''));
        let expected: Sample['expected'] = null;
        if (existsSync(`${stem}.bin`)) expected = { kind: 'bytes', bytes: readFileSync(`${stem}.bin`) };
        else if (existsSync(`${stem}.txt`)) expected = { kind: 'text', text: readFileSync(`${stem}.txt`, 'utf8') };
        else if (!folder.name.startsWith('falsepositives')) continue; // unlabelled: not scored
        const meta = { ...readMeta(`${stem}.metadata.txt`), ...readMeta(`${stem}.result.txt`) };
        out.push({ source, folder: folder.name, path: join(dir, name), expected, meta });
      }
    }
  }
  return out;
}

/** [must_pass_at_0deg, ..., images] per source and folder. */
export function referencePassCounts(root = SAMPLES_ROOT): Record<SampleSource, Record<string, number[]>> {
  const raw = JSON.parse(readFileSync(join(root, 'REFERENCE_PASS_COUNTS.json'), 'utf8')) as Record<string, unknown>;
  return { zxing: raw.zxing as Record<string, number[]>, 'zxing-cpp': raw['zxing-cpp'] as Record<string, number[]> };
}

/** The bar from the brief: zxing must_pass (index 0), zxing-cpp slow_must_pass (index 1). */
export function requiredCount(source: SampleSource, counts: number[]): number {
  return source === 'zxing' ? counts[0]! : counts[1]!;
}
