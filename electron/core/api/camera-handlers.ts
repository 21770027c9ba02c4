import type { ParsedInput, RequestOutput } from '../../../shared/contract';
import { saveCapture } from '../camera/save-capture';
import type { LiveReader } from '../camera/live-reader';

type Names = 'captures.save' | 'camera.readFrame';
export type CameraImpl = { [N in Names]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };

/**
 * Capture from a camera, spread into the one handler table (handlers.ts): a captured frame
 * kept in the profile (the desktop app's way to make it a page; the browser host may also
 * upload it), and the live preview's frames read by the local decoder off the main thread.
 */
export function cameraHandlers(dataDir: string, live: LiveReader): CameraImpl {
  return {
    'captures.save': ({ session, bytesBase64 }) => saveCapture(dataDir, session, Buffer.from(bytesBase64, 'base64')),
    'camera.readFrame': async ({ width, height, grayBase64 }) => ({
      codes: await live.read({ width, height, gray: Buffer.from(grayBase64, 'base64') }),
    }),
  };
}
