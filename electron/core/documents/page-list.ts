import type { DocumentPage } from '../../../shared/documents';

/**
 * Pages as a person reads them in a table cell: file names, runs of pages of one file joined
 * ("scan.pdf p. 2-5; photo.jpg"). The Pages sheet has the full paths.
 */
export function describePages(pages: readonly DocumentPage[]): string {
  const parts: string[] = [];
  let i = 0;
  while (i < pages.length) {
    const first = pages[i]!;
    let j = i;
    while (j + 1 < pages.length && pages[j + 1]!.path === first.path && pages[j + 1]!.page === pages[j]!.page + 1) j++;
    const name = first.path.split(/[\\/]/).pop() ?? first.path;
    const last = pages[j]!;
    // A photo is one page; a PDF or TIFF page says which (page 1 of a stack is not the stack).
    const multi = j > i || first.page > 1 || /\.(pdf|tiff?)$/i.test(name);
    parts.push(!multi ? name : j > i ? `${name} p. ${first.page}-${last.page}` : `${name} p. ${first.page}`);
    i = j + 1;
  }
  return parts.join('; ');
}
