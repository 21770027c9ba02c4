import type { ScanDeskApi } from '../../../shared/contract';
import type { SendFile } from './use-uploads';

/** A Blob's bytes as base64, read by the browser off the UI thread (no string building in JS). */
export function blobToBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('The frame could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The desktop app's way to make a captured frame a page: its bytes go to main in a
 * `captures.save` request (main checks the type and size and writes it into the profile).
 */
export function saveCaptureVia(api: ScanDeskApi): SendFile {
  return async (file, session) => api.invoke('captures.save', { session, bytesBase64: await blobToBase64(file) });
}
