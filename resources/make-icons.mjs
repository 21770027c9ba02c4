// Renders icon.svg into the PNGs electron-builder packs (it derives .icns and .ico from icon.png):
//   node resources/make-icons.mjs
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';

const here = dirname(fileURLToPath(import.meta.url));
const svg = join(here, 'icon.svg');
await sharp(svg, { density: 300 }).resize(1024, 1024).png().toFile(join(here, 'icon.png'));
mkdirSync(join(here, 'icons'), { recursive: true });
for (const size of [16, 32, 48, 64, 128, 256, 512]) {
  await sharp(svg, { density: 300 }).resize(size, size).png().toFile(join(here, 'icons', `${size}x${size}.png`));
}
