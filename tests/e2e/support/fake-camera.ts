import { writeFileSync } from 'node:fs';
import sharp from 'sharp';

/**
 * A video file for Chromium's fake camera (--use-file-for-fake-video-capture=<file>.y4m) made
 * of real images: each image is fitted onto a white picture of `width` × `height` and shown for
 * `framesEach` frames; Chromium plays the file in a loop. Y4M (raw 4:2:0) needs no encoder:
 * the luma plane is the grey picture, both chroma planes neutral (the codes are black and white).
 */
export async function writeY4m(
  file: string,
  images: string[],
  options: { width?: number; height?: number; fps?: number; framesEach?: number } = {},
): Promise<void> {
  const width = options.width ?? 640;
  const height = options.height ?? 480;
  const fps = options.fps ?? 10;
  const framesEach = options.framesEach ?? 10;
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const parts: Buffer[] = [Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`)];
  for (const image of images) {
    const luma = await sharp(image)
      .rotate()
      .resize(width, height, { fit: 'contain', background: { r: 255, g: 255, b: 255 } })
      .flatten({ background: '#ffffff' })
      .grayscale()
      .raw()
      .toBuffer();
    for (let i = 0; i < framesEach; i++) parts.push(Buffer.from('FRAME\n'), luma, chroma);
  }
  writeFileSync(file, Buffer.concat(parts));
}
