import { describe, expect, it } from 'vitest';
import { LocalEngine } from '../../electron/core/engines/local';
import type { Detection } from '../../shared/detection';
import { isCorrect } from './scorer';
import { listSamples, referencePassCounts, requiredCount, type Sample } from './samples';

/**
 * The whole labelled sample set through LocalEngine (worker pool, all cores), scored per
 * source convention. Bars: every folder at least as good as the upstream harness requires at
 * 0 degrees, nothing at all on the false-positive images, and >= 95% of all images correct.
 */
const OVERALL_BAR = 0.95;

interface Row {
  key: string;
  images: number;
  correct: number;
  required: number;
  failures: string[];
}

describe('quality on the real sample set', () => {
  it(
    'meets the per-folder, false-positive and overall bars',
    async () => {
      const samples = listSamples();
      expect(samples.length).toBeGreaterThan(800);
      const counts = referencePassCounts();
      const engine = new LocalEngine();
      const t0 = performance.now();
      let results: Array<{ sample: Sample; detections: Detection[]; error?: string }>;
      try {
        results = await Promise.all(
          samples.map(async (sample) => {
            try {
              const r = await engine.recognize({
                source: { path: sample.path, page: 1, format: formatOf(sample.path), sha256: '' },
                task: 'codes',
              });
              return { sample, detections: r.detections };
            } catch (err) {
              return { sample, detections: [], error: String(err) };
            }
          }),
        );
      } finally {
        await engine.close();
      }
      const seconds = (performance.now() - t0) / 1000;

      const rows = new Map<string, Row>();
      for (const { sample, detections, error } of results) {
        const key = `${sample.source}/${sample.folder}`;
        const fp = sample.folder.startsWith('falsepositives');
        const row = rows.get(key) ?? {
          key,
          images: 0,
          correct: 0,
          // a false-positive folder passes only when every image gives nothing
          required: fp ? -1 : requiredCount(sample.source, counts[sample.source][sample.folder] ?? [0, 0, 0]),
          failures: [],
        };
        row.images++;
        if (!error && isCorrect(sample, detections)) row.correct++;
        else {
          const got = error ?? (detections.map((d) => `${d.symbology}:${JSON.stringify(d.text.slice(0, 24))}`).join(', ') || 'nothing');
          row.failures.push(`${sample.path.split('/').pop()} (${got})`);
        }
        rows.set(key, row);
      }
      for (const r of rows.values()) if (r.required < 0) r.required = r.images;

      const total = results.length;
      const correct = [...rows.values()].reduce((s, r) => s + r.correct, 0);
      const lines = [
        `${'folder'.padEnd(34)}${'images'.padStart(7)}${'correct'.padStart(8)}${'required'.padStart(9)}  result`,
      ];
      for (const r of [...rows.values()].sort((a, b) => a.key.localeCompare(b.key))) {
        lines.push(
          `${r.key.padEnd(34)}${String(r.images).padStart(7)}${String(r.correct).padStart(8)}${String(r.required).padStart(9)}  ${r.correct >= r.required ? 'pass' : 'FAIL'}`,
        );
      }
      lines.push(
        `overall: ${correct}/${total} = ${((100 * correct) / total).toFixed(1)}% (bar ${OVERALL_BAR * 100}%), ${seconds.toFixed(1)} s, ${(total / seconds).toFixed(1)} images/s`,
      );
      lines.push('failures:');
      for (const r of rows.values()) for (const f of r.failures) lines.push(`  ${r.key}/${f}`);
      console.log(lines.join('\n'));

      const failedFolders = [...rows.values()].filter((r) => r.correct < r.required).map((r) => r.key);
      expect(failedFolders).toEqual([]);
      const fp = rows.get('zxing-cpp/falsepositives-1');
      expect(fp?.images).toBeGreaterThan(0);
      expect(fp?.failures).toEqual([]);
      expect(correct / total).toBeGreaterThanOrEqual(OVERALL_BAR);
    },
    15 * 60_000,
  );
});

function formatOf(path: string): 'png' | 'jpeg' | 'webp' {
  if (/\.jpe?g$/i.test(path)) return 'jpeg';
  if (/\.webp$/i.test(path)) return 'webp';
  return 'png';
}
