import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { BatchEstimate, BatchUsage, OperationUsage, UsageSummary } from '../../shared/usage';
import { VENDOR_NAMES } from '../core/engines/registry';
import { existsSync } from 'node:fs';
import { openReadonly } from '../core/store/db';
import { usageSummary } from '../core/store/usage';
import { vendorDay, vendorMonth } from '../core/usage/meter';
import { EXIT_OK } from './errors';
import { defaultDbPath } from './paths';
import type { CliIo } from './scan';

/**
 * What the CLI says about vendor usage: before a batch starts (the pages it sends, daily quotas
 * it would exceed), at the end (what it spent), and on demand (`scandesk usage`).
 */
function vendorName(id: string): string {
  return id in VENDOR_NAMES ? VENDOR_NAMES[id as keyof typeof VENDOR_NAMES] : id;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** "in 5 h 12 min" from now until `iso`. */
function until(iso: string, now: number): string {
  const min = Math.max(1, Math.round((Date.parse(iso) - now) / 60_000));
  return min < 60 ? `in ${min} min` : `in ${Math.floor(min / 60)} h ${min % 60} min`;
}

/** The lines shown before a batch starts: what each vendor gets, and any daily quota it would exceed. */
export function describeEstimate(e: BatchEstimate, now = Date.now()): string[] {
  const lines: string[] = [];
  for (const v of e.vendors) {
    const stored = v.stored > 0 ? ` (${v.stored} more ${v.stored === 1 ? 'has a stored result' : 'have stored results'} and ${v.stored === 1 ? 'is' : 'are'} not sent again)` : '';
    const pages = `${v.pages} ${v.pages === 1 ? 'page' : 'pages'}`;
    lines.push(
      v.upTo
        ? `This batch sends up to ${pages} to ${vendorName(v.vendor)}: those the first engine finds nothing on${stored}.`
        : `This batch sends ${pages} to ${vendorName(v.vendor)}${stored}.`,
    );
  }
  for (const w of e.warnings) {
    lines.push(
      `Warning: ${vendorName(w.vendor)} ${w.operation} allows ${w.perDay} calls a day on a basic account; ` +
        `${w.left} ${w.left === 1 ? 'is' : 'are'} left today on this account and this batch needs ${w.needed}. ` +
        `The count resets at midnight China Standard Time (${until(w.resetsAt, now)}); pages past the quota wait for the next run.`,
    );
  }
  return lines;
}

/** Asks on the terminal; anything but y/yes is no. */
export async function confirm(io: CliIo, question: string): Promise<boolean> {
  if (!io.stdin) return false;
  const rl = createInterface({ input: io.stdin, output: io.stderr, terminal: true });
  try {
    const answer = await rl.question(`${question} [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

function countsLine(o: OperationUsage): string {
  const extra = [`${o.billable} billable`];
  if (o.errors) extra.push(`${o.errors} ${o.errors === 1 ? 'error' : 'errors'}`);
  if (o.bytesSent) extra.push(`${formatBytes(o.bytesSent)} sent`);
  return `${o.operation}: ${o.calls} ${o.calls === 1 ? 'call' : 'calls'} (${extra.join(', ')})`;
}

/** The end-of-run lines of what a batch spent. */
export function formatSpend(u: BatchUsage): string[] {
  return u.operations.map((o) => `${vendorName(o.vendor)} ${countsLine(o)}`);
}

export function formatUsage(s: UsageSummary): string {
  const lines = [`Vendor calls today (${s.day}) and this month (${s.month}), China Standard Time:`];
  if (s.vendors.length === 0) lines.push('  none yet');
  for (const v of s.vendors) {
    for (const a of v.accounts) {
      lines.push(`  ${vendorName(v.vendor)}${a.label ? `, account ${a.label}` : ''}`);
      lines.push('    today:');
      if (a.today.length === 0) lines.push('      none');
      for (const o of a.today) lines.push(`      ${countsLine(o)}`);
      lines.push('    this month:');
      for (const o of a.month) lines.push(`      ${countsLine(o)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export interface UsageOptions {
  db?: string;
  json?: boolean;
}

/**
 * `scandesk usage`: today's and this month's vendor calls in a profile. Reads the file on a
 * read-only connection: it never resumes or changes a batch (the app may be running on it).
 */
export async function runUsage(opts: UsageOptions, io: CliIo): Promise<number> {
  const dbPath = resolve(opts.db ?? defaultDbPath(io.env));
  const now = Date.now();
  let summary: UsageSummary = { day: vendorDay(now), month: vendorMonth(now), vendors: [] };
  if (existsSync(dbPath)) {
    const db = openReadonly(dbPath);
    try {
      // A profile written before usage was counted has no table yet: nothing to show.
      if (db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'vendor_usage'`).get()) summary = usageSummary(db, now);
    } finally {
      db.close();
    }
  }
  io.stdout.write(opts.json ? `${JSON.stringify(summary, null, 2)}\n` : formatUsage(summary));
  return EXIT_OK;
}
