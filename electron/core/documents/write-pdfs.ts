import { stat, writeFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import type { AppError } from '../../../shared/errors';
import type { DocumentPdf, DocumentSummary } from '../../../shared/documents';
import { ScanError, toAppError } from '../errors';
import { writeAtomically, writeNewFile } from '../export/atomic';
import { PageSources, type SourcePage } from './pdf-pages';

/**
 * Writes one PDF per document into `dir`, a folder the user chose: it must exist (ScanDesk
 * never creates folders on its own). Each file is written whole or not at all (a temporary
 * file renamed into place); a document that cannot be written (a page's file gone or changed,
 * pages still being decoded) gets its error and the others go on.
 */
export async function writeDocumentPdfs(
  dir: string,
  documents: DocumentSummary[],
  sourceOf: (itemId: number) => SourcePage | AppError,
  options: { signal?: AbortSignal; existing?: 'replace' | 'keep' } = {},
): Promise<DocumentPdf[]> {
  const folder = resolve(dir);
  const st = await stat(folder).catch(() => null);
  if (!st) throw new ScanError('INVALID_INPUT', `The folder ${folder} does not exist: choose an existing folder for the documents.`);
  if (!st.isDirectory()) throw new ScanError('INVALID_INPUT', `${folder} is a file, not a folder: choose a folder for the documents.`);
  const sources = new PageSources();
  const results: DocumentPdf[] = [];
  for (const doc of documents) {
    options.signal?.throwIfAborted();
    const path = join(folder, doc.fileName);
    const base = { n: doc.n, fileName: doc.fileName, pages: doc.pages.length };
    if (doc.pages.length === 0) {
      results.push({ ...base, path: null, error: { code: 'INVALID_INPUT', message: `Document ${doc.n} has no pages (a separator followed by another).` } });
      continue;
    }
    if (doc.pending > 0) {
      results.push({ ...base, path: null, error: { code: 'INVALID_INPUT', message: `Document ${doc.n} has pages still waiting to be decoded; write it once the batch finishes.` } });
      continue;
    }
    try {
      const pdf = await PDFDocument.create({ updateMetadata: false });
      pdf.setProducer('ScanDesk');
      pdf.setTitle(doc.key ?? `Document ${doc.n}`);
      for (const p of doc.pages) {
        const src = sourceOf(p.itemId);
        if ('code' in src) throw new ScanError(src.code, src.message);
        await sources.append(pdf, src);
      }
      const bytes = await pdf.save();
      const write = (tmp: string) => writeFile(tmp, bytes);
      // 'keep': never over a file already there (a folder the renderer named may hold the user's own "contract.pdf").
      const written = options.existing === 'keep' ? (await writeNewFile(folder, doc.fileName, write)).path : (await writeAtomically(path, write), path);
      results.push({ ...base, fileName: basename(written), path: written, error: null });
    } catch (err) {
      results.push({ ...base, path: null, error: toAppError(err) });
    }
  }
  return results;
}
