import { mergeDetections } from '../../electron/core/engines/local/merge';
import type { Detection } from '../../shared/detection';
import type { SampleResult } from './decode-set';
import { isCorrect } from './scorer';

interface StepRow {
  name: string;
  pages: number;
  ms: number;
  gained: number;
  other: number;
}

/**
 * Per decode step, over the whole set: on how many pages it ran, the milliseconds it spent,
 * the codes it gained (pages whose labelled code the steps before it had not read, and which
 * it did), and the other codes it read (payloads that are not the page's label: misreads, or
 * a second code the label does not name), the milliseconds it spent per code it gained, and its
 * share of all decoding time. Every step must pay for itself: a step that gains nothing, or gains
 * little for many seconds, goes (a sheet-* step pays on pages of several codes, which this set
 * of one-code photos does not have: tests/engine/multi-code.test.ts).
 */
export function stepTable(results: SampleResult[]): string[] {
  const rows = new Map<string, StepRow>();
  const order: string[] = [];
  for (const { sample, reply } of results) {
    if (!reply) continue;
    let found: Detection[] = [];
    let correct = false;
    for (const step of reply.steps) {
      let row = rows.get(step.name);
      if (!row) {
        row = { name: step.name, pages: 0, ms: 0, gained: 0, other: 0 };
        rows.set(step.name, row);
        order.push(step.name);
      }
      row.pages++;
      row.ms += step.ms;
      // on a page with no code every read is another code; elsewhere, those that are not the label
      row.other += sample.expected === null ? step.found.length : step.found.filter((d) => !isCorrect(sample, [d])).length;
      found = found.concat(step.found);
      if (!correct && sample.expected !== null && isCorrect(sample, mergeDetections(found.map((d) => ({ ...d }))))) {
        correct = true;
        row.gained++;
      }
    }
  }
  const all = [...rows.values()].reduce((s, r) => s + r.ms, 0);
  const lines = [
    `${'step'.padEnd(26)}${'pages'.padStart(7)}${'ms'.padStart(9)}${'ms/page'.padStart(9)}${'gained'.padStart(8)}${'ms/gain'.padStart(9)}${'time%'.padStart(7)}${'other'.padStart(7)}`,
  ];
  let gained = 0;
  for (const name of order) {
    const r = rows.get(name)!;
    gained += r.gained;
    lines.push(
      `${r.name.padEnd(26)}${String(r.pages).padStart(7)}${r.ms.toFixed(0).padStart(9)}${(r.ms / r.pages).toFixed(1).padStart(9)}${String(r.gained).padStart(8)}${(r.gained ? (r.ms / r.gained).toFixed(0) : '-').padStart(9)}${((100 * r.ms) / (all || 1)).toFixed(1).padStart(7)}${String(r.other).padStart(7)}`,
    );
  }
  lines.push(`${'all steps'.padEnd(26)}${''.padStart(7)}${all.toFixed(0).padStart(9)}${''.padStart(9)}${String(gained).padStart(8)}${(all / (gained || 1)).toFixed(0).padStart(9)}${'100.0'.padStart(7)}`);
  return lines;
}
