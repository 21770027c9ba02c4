import decode from 'heic-decode';
import { decodeError } from './errors';
import { assertDimensions } from './limits';
import type { OrientedPixels } from './load';

/**
 * HEIC/HEIF (iPhone photos). sharp's prebuilt libheif has no HEVC decoder, so we use libheif
 * compiled to wasm (heic-decode). libheif applies the container's transformations (irot, imir,
 * clap) itself and reports the transformed size; the EXIF Orientation tag inside a HEIF is only
 * informative (it mirrors irot) and must NOT be applied a second time.
 */
export async function loadHeif(buf: Buffer, label: string): Promise<OrientedPixels> {
  let images;
  try {
    images = await decode.all({ buffer: buf });
  } catch (err) {
    throw decodeError(err, label);
  }
  try {
    // The first top-level image is the primary one (thumbnails and depth maps are not top-level).
    const first = images[0]!;
    assertDimensions(first.width, first.height, label); // from the container, before decoding
    let img;
    try {
      img = await first.decode();
    } catch (err) {
      throw decodeError(err, label);
    }
    const data = Buffer.from(img.data.buffer, img.data.byteOffset, img.data.byteLength);
    return { data, width: img.width, height: img.height };
  } finally {
    images.dispose();
  }
}
