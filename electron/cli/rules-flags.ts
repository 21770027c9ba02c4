import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { BatchRulesSchema } from '../../shared/contract/rules';
import { ruleBreaksText } from '../../shared/rules/text';
import { ANY_SYMBOLOGY, EMPTY_RULES, type BatchRules } from '../../shared/rules/types';
import type { ScanService } from '../core/service-types';
import { UsageError } from './errors';

/**
 * `scandesk scan`'s review rules (shared/rules): a rules file (`--rules rules.json`, the same
 * shape the app stores; fields left out keep their defaults) and flags that override it
 * (`--symbologies`, `--pattern`, `--gs1`, `--codes-per-page`, `--auto-accept`). Checked with the
 * contract's schema before anything runs; reported in the summary.
 */
export interface RulesFlags {
  rules?: string;
  symbologies?: string;
  pattern?: string[];
  gs1?: boolean;
  codesPerPage?: string;
  autoAccept?: boolean;
}

/** The rules the flags ask for, or null when none was given. UsageError names what is wrong. */
export async function rulesFromFlags(o: RulesFlags): Promise<BatchRules | null> {
  const given = o.rules !== undefined || o.symbologies !== undefined || (o.pattern?.length ?? 0) > 0 || o.gs1 || o.codesPerPage !== undefined || o.autoAccept;
  if (!given) return null;
  let base: Record<string, unknown> = {};
  if (o.rules !== undefined) {
    const path = resolve(o.rules);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      throw new UsageError(`--rules: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? String(err)}).`);
    }
    try {
      base = JSON.parse(text) as Record<string, unknown>;
    } catch (err) {
      throw new UsageError(`--rules: ${path} is not JSON (${(err as Error).message}).`);
    }
    if (typeof base !== 'object' || base === null || Array.isArray(base)) throw new UsageError(`--rules: ${path} must hold a JSON object.`);
  }
  const rules: Record<string, unknown> = { ...EMPTY_RULES, ...base };
  if (o.symbologies !== undefined) rules.symbologies = o.symbologies.split(',').map((s) => s.trim()).filter(Boolean);
  if (o.pattern?.length) {
    const patterns = { ...(rules.patterns as Record<string, string>) };
    for (const p of o.pattern) {
      // "EAN-13=^978" for one symbology; a bare pattern applies to every other one.
      const m = /^([A-Za-z0-9-]+)=(.*)$/s.exec(p);
      if (m) patterns[m[1]!] = m[2]!;
      else patterns[ANY_SYMBOLOGY] = p;
    }
    rules.patterns = patterns;
  }
  if (o.gs1) rules.gs1 = true;
  if (o.autoAccept) rules.autoAccept = true;
  if (o.codesPerPage !== undefined) rules.codesPerPage = parseCount(o.codesPerPage);
  const r = BatchRulesSchema.safeParse(rules);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new UsageError(`Review rules: ${issue.path.length ? `${issue.path.join('.')}: ` : ''}${issue.message}.`);
  }
  return r.data as BatchRules;
}

/** "2" exactly two, "1-3", "1-" at least one, "-3" at most three. */
function parseCount(s: string): { min: number | null; max: number | null } {
  const m = /^(\d*)(-?)(\d*)$/.exec(s.trim());
  if (!m || (m[1] === '' && m[3] === '')) throw new UsageError(`--codes-per-page takes N, MIN-MAX, MIN- or -MAX, not "${s}".`);
  const min = m[1] === '' ? null : Number(m[1]);
  const max = m[2] === '' ? min : m[3] === '' ? null : Number(m[3]);
  return { min, max };
}

/** The command-line words for these rules (the resume hint repeats them). */
export function rulesArgs(o: RulesFlags): string[] {
  const args: string[] = [];
  if (o.rules !== undefined) args.push('--rules', resolve(o.rules));
  if (o.symbologies !== undefined) args.push('--symbologies', o.symbologies);
  for (const p of o.pattern ?? []) args.push('--pattern', p);
  if (o.gs1) args.push('--gs1');
  if (o.codesPerPage !== undefined) args.push('--codes-per-page', o.codesPerPage);
  if (o.autoAccept) args.push('--auto-accept');
  return args;
}

/** Summary lines: pages that break a rule (the first few with their reasons), codes still open. */
export async function rulesSummary(service: ScanService, batchId: number): Promise<string[]> {
  if ((await service.getRules(batchId)) === null) return [];
  const flagged = await service.listItems(batchId, { filter: 'rule-breaks', limit: 5 });
  const lines = [`  rule breaks: ${flagged.total} ${flagged.total === 1 ? 'page' : 'pages'} (rule columns of the output say why)`];
  for (const it of flagged.items) {
    const item = await service.getItem(it.id);
    const reasons = [...(item.rule?.page ?? []), ...item.detections.filter((d) => d.rule && !d.rule.ok && d.review !== 'rejected').flatMap((d) => d.rule!.breaks)];
    lines.push(`    ${item.path}${item.pageCount > 1 ? ` p.${item.page}` : ''}: ${ruleBreaksText(reasons)}`);
  }
  if (flagged.total > flagged.items.length) lines.push(`    ... and ${flagged.total - flagged.items.length} more`);
  return lines;
}
