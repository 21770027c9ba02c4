import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { CAPTURE_LIMITS } from '../../../shared/contract/camera';
import { UPLOAD_SESSION } from '../../../shared/uploads';
import { ScanError } from '../errors';
import { makePrivateDir, PRIVATE_FILE_MODE } from '../private-files';

/** What a captured frame may be, by its magic bytes (what the renderer's canvas encodes). */
const CAPTURE_TYPES: Readonly<Record<string, string>> = { 'image/png': 'png', 'image/jpeg': 'jpg', 'image/webp': 'webp' };

/** The profile's folder for captured frames: one subfolder per new-batch dialog (session). */
export const CAPTURES_FOLDER = 'captures';

/**
 * Keeps one captured camera frame in the profile (`<dataDir>/captures/<session>/camera-<time>.png`,
 * owner-only, never over another file) so the batch reads it like any page. The bytes come from
 * the renderer: their size is bounded and their type is what the first bytes say, not what the
 * renderer claims (it claims nothing); anything but PNG, JPEG or WebP is refused.
 */
export async function saveCapture(dataDir: string, session: string, bytes: Uint8Array, now = new Date()): Promise<{ path: string; folder: string }> {
  if (!UPLOAD_SESSION.test(session)) throw new ScanError('INVALID_INPUT', 'The capture needs a valid session.');
  if (bytes.length > CAPTURE_LIMITS.maxBytes) {
    throw new ScanError('IMAGE_TOO_LARGE', `A captured frame of ${(bytes.length / 2 ** 20).toFixed(1)} MB is over the ${CAPTURE_LIMITS.maxBytes / 2 ** 20} MB limit.`);
  }
  const type = await fileTypeFromBuffer(bytes);
  const ext = type ? CAPTURE_TYPES[type.mime] : undefined;
  if (!ext) {
    const what = type ? `${type.mime}` : 'not an image';
    throw new ScanError('UNSUPPORTED_FORMAT', `A captured frame must be a PNG, JPEG or WebP image (this one is ${what}).`);
  }
  const folder = join(dataDir, CAPTURES_FOLDER, session);
  makePrivateDir(folder);
  const stamp = now.toISOString().replace(/[:.]/g, '-');
  // Two frames in one millisecond (or a clock set back) get the next number, never the same file.
  for (let n = 1; n < 1000; n++) {
    const path = join(folder, `camera-${stamp}${n === 1 ? '' : ` (${n})`}.${ext}`);
    try {
      await writeFile(path, bytes, { flag: 'wx', mode: PRIVATE_FILE_MODE });
      return { path, folder };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
  throw new ScanError('INTERNAL', 'No free name for the captured frame.');
}
