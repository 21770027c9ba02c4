import type { ItemStatus } from '../../../shared/batch';
import type { DocumentPage, DocumentSummary } from '../../../shared/documents';
import { documentFileNames } from './names';
import type { CompiledRule } from './rule';

/** A page as separation reads it: where it is, whether it is decoded, and its code values. */
export interface SeparationPage extends DocumentPage {
  status: ItemStatus;
  /** Values of the page's codes a reviewer did not reject (corrections applied), in order. */
  values: string[];
}

/** Where one page went: its document, and whether it is that document's (dropped) separator. */
export interface Placement {
  document: number;
  separator: boolean;
}

interface Building {
  n: number;
  pages: DocumentPage[];
  separator: DocumentPage | null;
  separatorKey: string | null;
  firstValue: string | null;
  keyMatch: string | null;
  codes: Set<string>;
  pending: number;
  failed: number;
}

/**
 * Splits a batch's pages, fed in intake order, into documents. Streaming: each page is placed
 * as it comes (an export writes its rows meanwhile), and only small per-document facts are
 * kept, so a batch of any size separates in one pass.
 *
 * A page not decoded yet cannot start a document: it joins the current one, which is marked
 * pending (the boundary can still move when it is decoded). Pages that are not pages at all
 * (skipped files) belong to no document.
 */
export class DocumentBuilder {
  private readonly docs: Building[] = [];
  private current: Building | null = null;
  private pagesSeen = 0;

  constructor(
    private readonly rule: CompiledRule,
    private readonly batchName: string,
  ) {}

  add(p: SeparationPage): Placement | null {
    if (p.status === 'skipped') return null;
    const ref: DocumentPage = { itemId: p.itemId, path: p.path, page: p.page };
    const r = this.rule.rule;
    let separatorValue: string | null = null;
    if (r.kind === 'code') separatorValue = p.values.find((v) => this.rule.isSeparator(v)) ?? null;
    const starts = r.kind === 'code' ? separatorValue !== null || this.current === null : this.pagesSeen % r.pages === 0;
    this.pagesSeen++;
    if (starts) this.open();
    const doc = this.current!;
    const dropped = separatorValue !== null && r.kind === 'code' && r.dropSeparators;
    if (dropped) doc.separator = ref;
    else doc.pages.push(ref);
    if (separatorValue !== null) doc.separatorKey = separatorValue;
    for (const v of p.values) {
      doc.codes.add(v);
      doc.firstValue ??= v;
      if (doc.keyMatch === null && this.rule.isKey?.(v)) doc.keyMatch = v;
    }
    if (p.status === 'pending' || p.status === 'running') doc.pending++;
    if (p.status === 'failed') doc.failed++;
    return { document: doc.n, separator: dropped };
  }

  /** The documents, each with its key and its file name (unique, safe on every OS). */
  finish(): DocumentSummary[] {
    const keys = this.docs.map((d) => this.keyOf(d));
    const names = documentFileNames(
      this.rule.template,
      this.docs.map((d, i) => ({ n: d.n, code: keys[i] ?? null, batch: this.batchName })),
    );
    return this.docs.map((d, i) => ({
      n: d.n,
      fileName: names[i]!,
      key: keys[i] ?? null,
      pages: d.pages,
      separator: d.separator,
      codes: [...d.codes],
      pending: d.pending,
      failed: d.failed,
    }));
  }

  private keyOf(d: Building): string | null {
    if (this.rule.isKey) return d.keyMatch;
    return this.rule.rule.kind === 'code' ? d.separatorKey : d.firstValue;
  }

  private open(): void {
    this.current = {
      n: this.docs.length + 1,
      pages: [],
      separator: null,
      separatorKey: null,
      firstValue: null,
      keyMatch: null,
      codes: new Set(),
      pending: 0,
      failed: 0,
    };
    this.docs.push(this.current);
  }
}
