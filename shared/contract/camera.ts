import { z } from 'zod';
import { UPLOAD_SESSION } from '../uploads';

/**
 * The camera's two requests (issue 8 "Capture from a camera"), used alike by both hosts:
 * - `captures.save`: one captured frame, encoded by the renderer (PNG, JPEG or WebP, checked by
 *   its magic bytes on the other side), kept in the profile as a page of the new batch. The
 *   desktop app has no upload route; the bytes travel as base64 in the request.
 * - `camera.readFrame`: a small grey copy of the live picture, read by the local decoder in a
 *   worker thread, answering the codes it found with their corners in that copy's pixels.
 */
export const CAPTURE_LIMITS = {
  /**
   * One captured frame at most this large (a 1080p PNG is a few MB; the renderer sends a larger
   * frame as a JPEG instead).
   */
  maxBytes: 20 * 1024 * 1024,
  /** Longest side of a live frame sent for outlines (the renderer scales down to this). */
  liveMaxSide: 960,
  liveMinSide: 16,
} as const;

const base64Chars = (bytes: number) => Math.ceil(bytes / 3) * 4;
const Base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Decoded size of a base64 string (without decoding it). */
export function base64Bytes(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return (b64.length / 4) * 3 - pad;
}

const LiveSide = z.int().min(CAPTURE_LIMITS.liveMinSide).max(CAPTURE_LIMITS.liveMaxSide);

const LiveCodeSchema = z.object({
  symbology: z.string(),
  text: z.string(),
  /** Four corners (TL, TR, BR, BL) in pixels of the frame that was sent. */
  points: z.array(z.object({ x: z.number(), y: z.number() })),
});
export type LiveCode = z.infer<typeof LiveCodeSchema>;

export const cameraRequests = {
  'captures.save': {
    input: z.strictObject({
      /** The new-batch dialog's session: its captures share one folder, which joins the batch. */
      session: z.string().regex(UPLOAD_SESSION),
      bytesBase64: z
        .string()
        .min(8)
        .max(base64Chars(CAPTURE_LIMITS.maxBytes))
        .refine((s) => s.length % 4 === 0 && Base64.test(s), { message: 'must be base64' }),
    }),
    output: z.object({ path: z.string(), folder: z.string() }),
  },
  'camera.readFrame': {
    input: z
      .strictObject({
        width: LiveSide,
        height: LiveSide,
        /** One byte per pixel, row after row: exactly width × height bytes. */
        grayBase64: z
          .string()
          .max(base64Chars(CAPTURE_LIMITS.liveMaxSide ** 2))
          .refine((s) => s.length % 4 === 0 && Base64.test(s), { message: 'must be base64' }),
      })
      .refine((v) => base64Bytes(v.grayBase64) === v.width * v.height, { message: 'must hold width × height bytes', path: ['grayBase64'] }),
    output: z.object({ codes: z.array(LiveCodeSchema) }),
  },
} as const;
