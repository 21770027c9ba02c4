import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writePageFiles, type PageFiles } from './formats';
import { generatePages, type PageLayout, type Truth } from './layout';
import { renderPage } from './render';

/**
 * The bench's page set, generated from its seed (never committed as images) and kept in the
 * system temp folder between runs: rendering and encoding 24 pages costs about a minute, and
 * the same seed and generator always give the same files. The folder's name carries a hash of
 * the generator's own source, so a change to it makes a new set.
 */
export interface PageSet {
  dir: string;
  files: PageFiles;
  /** Per page (index = page number - 1): the codes printed on it. */
  truth: Truth[][];
  layouts: PageLayout[];
}

const HERE = dirname(fileURLToPath(import.meta.url));

function generatorHash(): string {
  const h = createHash('sha256');
  for (const f of ['layout.ts', 'render.ts', 'formats.ts', 'page-set.ts'].sort()) h.update(readFileSync(join(HERE, f)));
  return h.digest('hex').slice(0, 12);
}

export async function pageSet(seed: number, count: number, log: (s: string) => void): Promise<PageSet> {
  const root = join(tmpdir(), 'scandesk-bench-pages');
  const name = `seed${seed}-n${count}-${generatorHash()}`;
  const dir = join(root, name);
  const marker = join(dir, 'set.json');
  if (existsSync(marker)) {
    const saved = JSON.parse(readFileSync(marker, 'utf8')) as Omit<PageSet, 'dir'>;
    return { dir, ...saved };
  }
  // Older sets (another seed, size or generator) go: each is a few hundred MB.
  if (existsSync(root)) for (const old of readdirSync(root)) rmSync(join(root, old), { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  log(`generating ${count} A4 pages at 300 dpi from seed ${seed} into ${dir} (kept for later runs)...`);
  const layouts = await generatePages(seed, count);
  const grays = layouts.map(renderPage);
  const files = await writePageFiles(dir, layouts, grays);
  const set = { files, truth: layouts.map((l) => l.truth), layouts };
  writeFileSync(marker, JSON.stringify(set));
  return { dir, ...set };
}
