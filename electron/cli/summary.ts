import { basename } from 'node:path';
import type { BatchSummary, ItemSummary } from '../../shared/batch';

/** Failed pages grouped by error code: how many, and the first few as examples. */
export type FailureGroups = Map<string, { count: number; examples: ItemSummary[] }>;

export const EXAMPLES_PER_CODE = 3;

export function addFailure(groups: FailureGroups, item: ItemSummary): void {
  const code = item.error?.code ?? 'UNKNOWN';
  const g = groups.get(code) ?? { count: 0, examples: [] };
  g.count++;
  if (g.examples.length < EXAMPLES_PER_CODE) g.examples.push(item);
  groups.set(code, g);
}

export interface RunReport {
  batch: BatchSummary;
  failures: FailureGroups;
  skipped: { path: string; reason: string }[];
  output: { path: string; pages: number; codes: number } | null;
  seconds: number;
  decodedThisRun: number;
  resumed: boolean;
  /** What the engines said during the run (vendor stopped, operation offline), once each. */
  notices?: string[];
  /** What the batch spent at the vendors, one line per vendor operation. */
  spent?: string[];
  /** Documents and reconciliation lines (cli/batch-extras.ts), already indented. */
  extras?: string[];
}

/** The end-of-run report: counts, failures grouped by error code (with a few examples), output. */
export function formatSummary(r: RunReport): string {
  const c = r.batch.counts;
  const lines = [
    '',
    `Batch ${r.batch.id} "${r.batch.name}": ${r.batch.status}${r.resumed ? ' (resumed)' : ''}`,
    `  pages:   ${c.total}`,
    `  done:    ${c.done}`,
    `  failed:  ${c.failed}`,
  ];
  if (c.skipped) lines.push(`  skipped: ${c.skipped}`);
  if (c.cancelled) lines.push(`  cancelled: ${c.cancelled}`);
  if (c.pending) lines.push(`  pending: ${c.pending}`);
  lines.push(`  codes:   ${c.codes}`);
  lines.push(`  decoded in this run: ${r.decodedThisRun}`);

  if (r.failures.size > 0) {
    lines.push('  failures by reason:');
    for (const [code, g] of [...r.failures].sort((a, b) => b[1].count - a[1].count)) {
      lines.push(`    ${code} (${g.count})`);
      for (const it of g.examples) {
        const page = it.pageCount > 1 ? ` page ${it.page}` : '';
        lines.push(`      ${it.path}${page}: ${withoutName(it.path, it.error?.message ?? '')}`);
      }
      if (g.count > g.examples.length) lines.push(`      ... and ${g.count - g.examples.length} more (see the export)`);
    }
  }
  if (r.skipped.length > 0) {
    lines.push(`  not images, skipped (${r.skipped.length}):`);
    for (const s of r.skipped.slice(0, EXAMPLES_PER_CODE)) lines.push(`      ${s.path}: ${s.reason}`);
    if (r.skipped.length > EXAMPLES_PER_CODE) lines.push(`      ... and ${r.skipped.length - EXAMPLES_PER_CODE} more`);
  }
  if (r.notices && r.notices.length > 0) {
    lines.push('  notices:');
    for (const n of r.notices) lines.push(`    ${n}`);
  }
  if (r.spent && r.spent.length > 0) {
    lines.push('  vendor calls:');
    for (const s of r.spent) lines.push(`    ${s}`);
  }
  if (r.extras) lines.push(...r.extras);
  if (r.output) lines.push(`  output:  ${r.output.path} (${plural(r.output.pages, 'page')}, ${plural(r.output.codes, 'code')})`);
  lines.push(`  time:    ${formatSeconds(r.seconds)}`);
  return `${lines.join('\n')}\n`;
}

/** Messages often start with the file name; after the full path it is noise. */
function withoutName(path: string, message: string): string {
  const name = basename(path);
  return message.startsWith(`${name}: `) ? message.slice(name.length + 2) : message;
}

export function formatSeconds(s: number): string {
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
