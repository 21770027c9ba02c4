import type { DocumentList, DocumentPdf, DocumentSummary, SeparationRule } from '../../../shared/documents';
import type { AppError } from '../../../shared/errors';
import type { BatchData } from '../store/batch-data';
import { ScanError } from '../errors';
import type { PageSourceRow, PageValues } from '../store/page-values';
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
export async function separatePages(pages: AsyncIterable<PageValues> | Iterable<PageValues>, rule: SeparationRule, batchName: string): Promise<Separated> {
  const builder = new DocumentBuilder(compileRule(rule), batchName);
  const placements = new Map<number, Placement>();
  for await (const p of pages) {
    const at = builder.add(p);
    if (at) placements.set(p.itemId, at);
  }
  return { documents: builder.finish(), placements };
}

/**
 * Where a page's bytes are read from for its PDF: its own path (a desk's batch), or on a shared
 * queue the blob store's copy addressed by its checksum (queue/blobs.ts), since the path is the
 * submitting desk's. Either way the bytes are checked against the checksum.
 */
export type PageFileOf = (row: { path: string; sha256: string }) => string;

export function documentsApi(data: BatchData, fileOf: PageFileOf = (row) => row.path): DocumentsApi {
  const separated = async (batchId: number, rule: SeparationRule): Promise<Separated> =>
    separatePages(data.pageValues(batchId), rule, await data.batchName(batchId));
  return {
    async getRule(batchId) {
      await data.batchName(batchId);
      return data.getSeparation(batchId);
    },
    async setRule(batchId, rule) {
      const checked = rule === null ? null : checkRule(rule);
      await data.setSeparation(batchId, checked);
      return checked;
    },
    async list(batchId) {
      await data.batchName(batchId);
      const rule = await data.getSeparation(batchId);
      return { rule, documents: rule ? (await separated(batchId, rule)).documents : [] };
    },
    async writePdfs(batchId, dir, options = {}) {
      await data.batchName(batchId);
      const rule = await data.getSeparation(batchId);
      if (!rule) throw new ScanError('INVALID_INPUT', `Batch ${batchId} has no document separation rule: set one first.`);
      const { documents } = await separated(batchId, rule);
      const sources = await data.pageSources(batchId);
      // pdf-lib and the page readers load only when PDFs are written, not with every command.
      const { writeDocumentPdfs } = await import('./write-pdfs');
      return writeDocumentPdfs(dir, documents, (itemId) => sourcePage(sources.get(itemId), itemId, fileOf), { existing: options.existing });
    },
  };
}

function sourcePage(row: PageSourceRow | undefined, itemId: number, fileOf: PageFileOf): SourcePage | AppError {
  if (!row) return { code: 'NOT_FOUND', message: `Page ${itemId} is no longer in the batch.` };
  // A page whose decode failed still has its pixels; one intake could not read has none.
  if (!row.format || !row.sha256) {
    const name = row.path.split(/[\\/]/).pop() ?? row.path;
    return { code: 'FILE_UNREADABLE', message: `${name}${row.page > 1 ? ` page ${row.page}` : ''} could not be read when the batch was scanned, so it cannot go into a document.` };
  }
  const file = fileOf({ path: row.path, sha256: row.sha256 });
  return { path: file, page: row.page, format: row.format, sha256: row.sha256, ...(file !== row.path ? { shownAs: row.path } : {}) };
}
