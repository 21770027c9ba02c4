/**
 * Export file names that every file system takes. File systems count a name's length in bytes
 * (ext4, APFS: 255 bytes of UTF-8) or UTF-16 units (NTFS: 255), not in JavaScript characters:
 * 80 Chinese characters are 80 UTF-16 units but 240 bytes. Names are cut by UTF-8 bytes, at
 * whole characters (grapheme clusters: an emoji or an accented letter is never split), with
 * room left for a " (2)" when the name is taken.
 */

import { cutToBytes } from '../../../shared/file-names';

/** The most bytes an export's file name may have (255 less room for " (99)" and a margin). */
export const MAX_NAME_BYTES = 240;

/** The longest start of a text whose UTF-8 encoding fits in a number of bytes, cut between characters. */
export { cutToBytes };

/** Characters Windows, macOS or Linux refuse in a name, and control characters. */
// eslint-disable-next-line no-control-regex
const UNSAFE = /[<>:"/\\|?*\u0000-\u001f\u007f]/g;

/** Names Windows reserves for devices, whatever the extension ("CON.csv" opens the console). */
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;

/** A name made of `text` that every file system takes (no separators, no leading dots, no trailing dots or spaces). */
export function safeBaseName(text: string): string {
  const cleaned = text
    .normalize('NFC')
    .replace(UNSAFE, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(/^\.+/, '')
    .replace(/[. ]+$/, '');
  return RESERVED.test(cleaned) ? `${cleaned}_` : cleaned;
}

/** "Invoices March-12-20261121-153000.xlsx": the batch name made safe, its id and the time, within MAX_NAME_BYTES. */
export function defaultExportName(batchName: string, batchId: number, format: string, now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  const stamp = `${now.getFullYear()}${p(now.getMonth() + 1)}${p(now.getDate())}-${p(now.getHours())}${p(now.getMinutes())}${p(now.getSeconds())}`;
  const tail = `-${batchId}-${stamp}.${format}`;
  const base = safeBaseName(cutToBytes(safeBaseName(batchName), MAX_NAME_BYTES - Buffer.byteLength(tail, 'utf8'))) || 'batch';
  return `${base}${tail}`;
}

/**
 * The n-th candidate for a name: "a.csv", "a (2).csv", "a (3).csv"... A name numbered already
 * counts on from its number ("a (2).pdf", "a (3).pdf"), never "a (2) (2).pdf".
 */
export function numberedName(name: string, n: number): string {
  if (n <= 1) return name;
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  const numbered = / \((\d{1,6})\)$/.exec(stem);
  return numbered ? `${stem.slice(0, numbered.index)} (${Number(numbered[1]) + n - 1})${ext}` : `${stem} (${n})${ext}`;
}
