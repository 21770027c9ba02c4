import { serve } from '../workers/serve';
import { pdfPageCount } from './pdf';
import { largestDeclaredCount } from './pdf-declared';
import { sharpPageCount } from './sharp-input';

/**
 * An inspect worker: counts the pages of a PDF or multi-page TIFF for intake, off the main
 * thread and inside the pool's memory limits. A crafted page tree (a 60 MB PDF whose /Kids
 * array names one page millions of times) then costs this thread its heap, not the app.
 */
serve<{ path: string; format: 'pdf' | 'tiff'; label: string; maxPages: number; declaredOnly?: boolean }, { pages: number }>(
  async ({ path, format, label, maxPages, declaredOnly }) => {
    if (declaredOnly) return { reply: { pages: await largestDeclaredCount(path) } };
    if (format === 'tiff') return { reply: { pages: await sharpPageCount(path, label) } };
    // A page tree that declares more than the cap is refused without parsing it (see pdf-declared).
    const declared = await largestDeclaredCount(path);
    if (declared > maxPages) return { reply: { pages: declared } };
    return { reply: { pages: await pdfPageCount(path, label) } };
  },
  (message, { label }) => `${label}: reading its pages failed: ${message}`,
);
