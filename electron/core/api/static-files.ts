import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, resolve, sep } from 'node:path';

/**
 * Serves the renderer build (out/renderer) read-only. Paths are decoded, resolved and checked
 * to stay inside the root (no ../ escapes, no NUL); unknown extension-less paths get index.html
 * so client-side routes survive a reload.
 */
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

export interface StaticFile {
  data: Buffer;
  contentType: string;
  /** index.html must never be cached: a new build has new asset names. */
  immutable: boolean;
}

export function rendererBuilt(root: string): boolean {
  return existsSync(join(root, 'index.html'));
}

export async function readStatic(root: string, pathname: string): Promise<StaticFile | null> {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const base = resolve(root);
  let file = resolve(base, `.${rel.startsWith('/') ? rel : `/${rel}`}`);
  if (file !== base && !file.startsWith(base + sep)) return null;
  const isDir = (p: string) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  };
  if (file === base || isDir(file)) file = join(base, 'index.html');
  if (!existsSync(file)) {
    if (extname(rel) !== '') return null;
    file = join(base, 'index.html');
  }
  try {
    const data = await readFile(file);
    const ext = extname(file).toLowerCase();
    return { data, contentType: TYPES[ext] ?? 'application/octet-stream', immutable: ext !== '.html' && file.includes(`${sep}assets${sep}`) };
  } catch {
    return null;
  }
}
