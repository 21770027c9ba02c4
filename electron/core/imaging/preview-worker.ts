import { serve, transferable } from '../workers/serve';
import { fileLabel } from './errors';
import { makePreview, type ExpectedSource } from './preview';
import type { PreviewImage, PreviewOptions } from './types';

/**
 * A preview worker: runs imaging's `makePreview` (HEIC wasm, BMP, PDF pages, orientation,
 * resize, encode) off the thread that serves the app, and moves the encoded bytes back.
 */
serve<{ source: ExpectedSource; options: PreviewOptions }, { preview: PreviewImage }>(
  async ({ source, options }) => {
    const preview = await makePreview(source, options);
    const { bytes, buffer } = transferable(preview.data);
    return { reply: { preview: { ...preview, data: bytes as Buffer } }, transfer: [buffer] };
  },
  (message, { source }) => `${fileLabel(source.path, source.page)}: drawing its preview failed: ${message}`,
);
