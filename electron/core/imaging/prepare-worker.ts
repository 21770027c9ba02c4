import type { ImageSource } from '../intake/types';
import { serve, transferable } from '../workers/serve';
import { prepare } from './prepare';
import { fileLabel } from './errors';
import type { Budget, PreparedImage } from './types';

/**
 * A prepare worker: runs imaging's `prepare` (HEIC wasm decoding, PDF rendering, resizing,
 * encoding) off the main thread and moves the encoded bytes back by transfer.
 */
serve<{ source: ImageSource; budget: Budget }, { prepared: PreparedImage }>(
  async ({ source, budget }) => {
    const prepared = await prepare(source, budget);
    const { bytes, buffer } = transferable(prepared.data);
    return { reply: { prepared: { ...prepared, data: bytes as Buffer } }, transfer: [buffer] };
  },
  (message, { source }) => `${fileLabel(source.path, source.page)}: preparing the image failed: ${message}`,
);
