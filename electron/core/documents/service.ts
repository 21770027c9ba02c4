import type { DocumentList, DocumentPdf, DocumentSummary, SeparationRule } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';
import { withReadonly, type BatchData } from '../batch-data';
import { ScanError } from '../errors';
import { getSeparation, setSeparation } from '../store/separation';
import { pageSources, pageValues, type PageSourceRow, type PageValues } from '../store/page-values';
import { checkRule, compileRule } from './rule';
import { DocumentBuilder, type Placement } from './separate';
import type { SourcePage } from './pdf-pages';

/** A batch's documents: its separation rule, the documents it gives, their PDFs. */
export interface DocumentsApi {
  getRule(batchId: number): Promise<SeparationRule | null>;
  /** Checks and stores the rule (null: the batch is no longer separated); answers it as stored. */
  setRule(batchId: number, rule: SeparationRule | null): Promise<SeparationRule | null>;
  /** The documents as the pages and their codes give them now. */
  list(batchId: number): Promise<DocumentList>;
  /**
   * One PDF per document into `dir` (an existing folder), named by the rule's template. A file
   * already there is replaced (`existing: 'replace'`, the default: the CLI's --documents-out, a
   * re-run) or kept, the PDF taking "name (2).pdf" ('keep': a folder the renderer names).
   */
  writePdfs(batchId: number, dir: string, options?: { existing?: 'replace' | 'keep' }): Promise<DocumentPdf[]>;
}

export interface Separated {
  documents: DocumentSummary[];
  placements: Map<number, Placement>;
}

/** One pass over a batch's pages in intake order. */
export function separatePages(pages: Iterable<PageValues>, rule: SeparationRule, batchName: string): Separated {
  const builder = new DocumentBuilder(compileRule(rule), batchName);
  const placements = new Map<number, Placement>();
  for (const p of pages) {
    const at = builder.add(p);
    if (at) placements.set(p.itemId, at);
  }
  return { documents: builder.finish(), placements };
}

export function documentsApi(data: BatchData): DocumentsApi {
  const separated = (batchId: number, rule: SeparationRule): Promise<Separated> =>
    withReadonly(data, (ro) => separatePages(pageValues(ro, batchId), rule, data.batchName(batchId)));
  return {
    async getRule(batchId) {
      data.batchName(batchId);
      return getSeparation(data.db, batchId);
    },
    async setRule(batchId, rule) {
      data.batchName(batchId);
      const checked = rule === null ? null : checkRule(rule);
      setSeparation(data.db, batchId, checked);
      return checked;
    },
    async list(batchId) {
      data.batchName(batchId);
      const rule = getSeparation(data.db, batchId);
      return { rule, documents: rule ? (await separated(batchId, rule)).documents : [] };
    },
    async writePdfs(batchId, dir, options = {}) {
      data.batchName(batchId);
      const rule = getSeparation(data.db, batchId);
      if (!rule) throw new ScanError('INVALID_INPUT', `Batch ${batchId} has no document separation rule: set one first.`);
      const { documents } = await separated(batchId, rule);
      const sources = pageSources(data.db, batchId);
      // pdf-lib and the page readers load only when PDFs are written, not with every command.
      const { writeDocumentPdfs } = await import('./write-pdfs');
      return writeDocumentPdfs(dir, documents, (itemId) => sourcePage(sources.get(itemId), itemId), { existing: options.existing });
    },
  };
}

function sourcePage(row: PageSourceRow | undefined, itemId: number): SourcePage | AppError {
  if (!row) return { code: 'NOT_FOUND', message: `Page ${itemId} is no longer in the batch.` };
  // A page whose decode failed still has its pixels; one intake could not read has none.
  if (!row.format || !row.sha256) {
    const name = row.path.split(/[\\/]/).pop() ?? row.path;
    return { code: 'FILE_UNREADABLE', message: `${name}${row.page > 1 ? ` page ${row.page}` : ''} could not be read when the batch was scanned, so it cannot go into a document.` };
  }
  return { path: row.path, page: row.page, format: row.format, sha256: row.sha256 };
}
