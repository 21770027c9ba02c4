import { serve } from '../workers/serve';
import { decodeGray } from '../engines/local/decode';
import type { LiveCode } from '../../../shared/contract/camera';
import { LIVE_PLAN } from './live-plan';

/**
 * Reads one live camera frame (grey, already small) with the local decoder's first pass:
 * the codes a person holds up to the camera, fast enough for a few frames a second. Runs in
 * its own worker thread, never on the thread that serves the UI.
 */
serve<{ width: number; height: number; gray: Uint8Array }, { codes: LiveCode[] }>(
  async (job) => {
    const out = await decodeGray({ data: job.gray, width: job.width, height: job.height }, LIVE_PLAN);
    const codes = out.detections.map((d) => ({ symbology: d.symbology, text: d.text, points: d.geometry.points.map((p) => ({ x: p.x, y: p.y })) }));
    return { reply: { codes } };
  },
  (message) => `The live camera decoder failed: ${message}`,
);
