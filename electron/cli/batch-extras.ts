import { mkdir, readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import type { DocumentPdf, SeparationRule } from '../../shared/documents';
import type { Reconciliation } from '../../shared/reconciliation';
import { toAppError } from '../core/errors';
import { checkRule } from '../core/documents/rule';
import { readExpectedList, type ExpectedList } from '../core/reconcile/expected-list';
import type { ScanService } from '../core/service-types';
import { UsageError } from './errors';

/**
 * The scan flags beyond finding codes: document separation (`--separate-on`, `--separate-every`,
 * `--drop-separators`, `--document-key`, `--document-name`, `--documents-out`) and
 * reconciliation (`--expect`, `--expect-column`). Checked before anything runs, applied to the
 * batch once it exists, and reported at the end.
 */
export interface ExtrasFlags {
  separateOn?: string;
  separateEvery?: string;
  dropSeparators?: boolean;
  documentKey?: string;
  documentName?: string;
  documentsOut?: string;
  expect?: string;
  expectColumn?: string;
}

export interface CheckedExtras {
  rule: SeparationRule | null;
  documentsOut: string | null;
  expected: { source: string; list: ExpectedList } | null;
}

export async function checkExtras(o: ExtrasFlags): Promise<CheckedExtras> {
  if (o.separateOn !== undefined && o.separateEvery !== undefined) throw new UsageError('Give --separate-on or --separate-every, not both.');
  const separated = o.separateOn !== undefined || o.separateEvery !== undefined;
  for (const [flag, given] of [
    ['--drop-separators', o.dropSeparators],
    ['--document-key', o.documentKey],
    ['--document-name', o.documentName],
    ['--documents-out', o.documentsOut],
  ] as const) {
    if (given !== undefined && given !== false && !separated) throw new UsageError(`${flag} goes with --separate-on or --separate-every.`);
  }
  if (o.dropSeparators && o.separateOn === undefined) throw new UsageError('--drop-separators goes with --separate-on (separator pages carry the code).');
  if (o.expectColumn !== undefined && o.expect === undefined) throw new UsageError('--expect-column goes with --expect.');

  let rule: SeparationRule | null = null;
  try {
    const extra = { ...(o.documentKey ? { keyPattern: o.documentKey } : {}), ...(o.documentName ? { template: o.documentName } : {}) };
    if (o.separateOn !== undefined) rule = checkRule({ kind: 'code', pattern: o.separateOn, dropSeparators: o.dropSeparators === true, ...extra });
    if (o.separateEvery !== undefined) {
      if (!/^\d+$/.test(o.separateEvery)) throw new UsageError(`--separate-every takes a whole number of pages, not "${o.separateEvery}".`);
      rule = checkRule({ kind: 'every', pages: Number(o.separateEvery), ...extra });
    }
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(toAppError(err).message);
  }

  let expected: CheckedExtras['expected'] = null;
  if (o.expect !== undefined) {
    const path = resolve(o.expect);
    const bytes = await readFile(path).catch((err: NodeJS.ErrnoException) => {
      throw new UsageError(`Cannot read the expected list ${path}: ${err.code === 'ENOENT' ? 'no such file' : (err.code ?? err.message)}.`);
    });
    try {
      expected = { source: basename(path), list: await readExpectedList(bytes, { column: o.expectColumn }) };
    } catch (err) {
      throw new UsageError(`${path}: ${toAppError(err).message}`);
    }
  }
  return { rule, documentsOut: o.documentsOut === undefined ? null : resolve(o.documentsOut), expected };
}

/** The folder named by --documents-out exists before the scan starts (created, as asked, when missing). */
export async function prepareDocumentsOut(dir: string | null): Promise<string | null> {
  if (dir === null) return null;
  const st = await stat(dir).catch(() => null);
  if (st && !st.isDirectory()) throw new Error(`--documents-out ${dir} is a file, not a folder.`);
  if (st) return null;
  await mkdir(dir, { recursive: true });
  return dir;
}

/** Sets the batch's rule and expected list (again, on a resumed batch: the flags of this run count). */
export async function applyExtras(service: ScanService, batchId: number, x: CheckedExtras): Promise<void> {
  if (x.rule) await service.documents.setRule(batchId, x.rule);
  if (x.expected) {
    await service.reconciliation.setList(batchId, { source: x.expected.source, column: x.expected.list.column, values: x.expected.list.values });
  }
}

/** After the export: the PDFs, and the summary lines for documents and reconciliation. */
export async function finishExtras(service: ScanService, batchId: number, x: CheckedExtras): Promise<string[]> {
  const lines: string[] = [];
  if (x.rule) {
    const { documents } = await service.documents.list(batchId);
    lines.push(`  documents: ${documents.length} (${describeRule(x.rule)})`);
    if (x.documentsOut) lines.push(...pdfLines(await service.documents.writePdfs(batchId, x.documentsOut), x.documentsOut));
  }
  if (x.expected) {
    const r = await service.reconciliation.get(batchId);
    if (r) lines.push(...reconciliationLines(r.result, x.expected.source, r.list.column, x.expected.list.repeated));
  }
  return lines;
}

function describeRule(r: SeparationRule): string {
  if (r.kind === 'every') return `every ${r.pages} page${r.pages === 1 ? '' : 's'}`;
  return `a new one at each code matching /${r.pattern}/${r.dropSeparators ? ', separator pages dropped' : ''}`;
}

const SHOWN = 10;

function pdfLines(results: DocumentPdf[], dir: string): string[] {
  const written = results.filter((r) => r.path !== null).length;
  const lines = [`    PDFs:  ${written} of ${results.length} written to ${dir}`];
  for (const r of results.filter((x) => x.error).slice(0, SHOWN)) lines.push(`      document ${r.n} (${r.fileName}): ${r.error!.code} ${r.error!.message}`);
  const failed = results.filter((x) => x.error).length;
  if (failed > SHOWN) lines.push(`      ... and ${failed - SHOWN} more`);
  return lines;
}

function reconciliationLines(r: Reconciliation, source: string, column: string, repeated: number): string[] {
  const lines = [
    `  expected: ${r.expected} values from ${source} (${column})${repeated ? `, ${repeated} listed twice counted once` : ''}`,
    `    found ${r.found.length}, missing ${r.missing.length}, unexpected ${r.unexpected.length}, duplicates ${r.duplicates.length}`,
  ];
  const list = (label: string, values: { value: string; pages: unknown[] }[], withPages = false) => {
    if (values.length === 0) return;
    const shown = values.slice(0, SHOWN).map((v) => (withPages ? `${v.value} (${v.pages.length} pages)` : v.value));
    lines.push(`    ${label}: ${shown.join(', ')}${values.length > SHOWN ? `, ... and ${values.length - SHOWN} more (see the export)` : ''}`);
  };
  list('missing', r.missing);
  list('unexpected', r.unexpected);
  list('duplicates', r.duplicates, true);
  return lines;
}
