/**
 * File-name rules of intake: what a file manager hides, what a user would call an image, and
 * the order a file manager shows names in.
 */

/** Names the operating systems create for themselves (compared lowercase). */
const SYSTEM_NAMES = new Set([
  'thumbs.db',
  'ehthumbs.db',
  'ehthumbs_vista.db',
  'desktop.ini',
  '__macosx',
  '$recycle.bin',
  'recycler',
  'system volume information',
  'icon\r',
  'lost+found',
]);

/**
 * Hidden and system entries are skipped quietly inside folders: dotfiles (.DS_Store, ._foo
 * AppleDouble forks, .Trashes, .git), Windows/macOS housekeeping, Office lock files (~$x.docx).
 */
export function isHiddenOrSystem(name: string): boolean {
  return name.startsWith('.') || name.startsWith('~$') || SYSTEM_NAMES.has(name.toLowerCase());
}

const IMAGE_NAME = /\.(jpe?g|jpe|jfif|png|apng|webp|tiff?|bmp|dib|gif|heic|heif|hif|avif|pdf)$/i;

/** The name promises an image or PDF: if its bytes cannot be used, the user must see why. */
export function looksLikeImageName(name: string): boolean {
  return IMAGE_NAME.test(name);
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Natural order ("scan2" before "scan10", case-insensitive), ties broken by code points. */
export function naturalCompare(a: string, b: string): number {
  return collator.compare(a, b) || (a < b ? -1 : a > b ? 1 : 0);
}
