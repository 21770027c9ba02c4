import { CAPTURE_LIMITS } from '../../../shared/contract/camera';
import { blobToBase64 } from './save-capture';

export interface LiveFrameInput {
  width: number;
  height: number;
  grayBase64: string;
}

/**
 * A small grey copy of the video's current picture for `camera.readFrame`: scaled so its
 * longest side is at most CAPTURE_LIMITS.liveMaxSide (a code a person holds up fills a good part
 * of the picture; a quarter of the pixels of a 1080p frame read as well and cost a quarter), one
 * byte per pixel. The corners the decoder answers are in this copy's pixels.
 */
export async function sampleFrame(video: HTMLVideoElement, canvas: HTMLCanvasElement): Promise<LiveFrameInput | null> {
  const vw = video.videoWidth;
  const vh = video.videoHeight;
  if (vw === 0 || vh === 0) return null;
  const scale = Math.min(1, CAPTURE_LIMITS.liveMaxSide / Math.max(vw, vh));
  const width = Math.max(CAPTURE_LIMITS.liveMinSide, Math.round(vw * scale));
  const height = Math.max(CAPTURE_LIMITS.liveMinSide, Math.round(vh * scale));
  canvas.width = width;
  canvas.height = height;
  const ctx = canvas.getContext('2d', { willReadFrequently: true });
  if (!ctx) return null;
  ctx.drawImage(video, 0, 0, width, height);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const gray = new Uint8Array(width * height);
  // BT.601 luma in integers, as the decoder's own grey conversion (and ZXing) computes it.
  for (let i = 0, j = 0; i < gray.length; i++, j += 4) gray[i] = (306 * rgba[j]! + 601 * rgba[j + 1]! + 117 * rgba[j + 2]! + 512) >> 10;
  return { width, height, grayBase64: await blobToBase64(new Blob([gray])) };
}
