/**
 * File names as file systems count them. ext4 and APFS take 255 bytes of UTF-8 per name, NTFS
 * 255 UTF-16 units: 80 Chinese characters are 80 units but 240 bytes. Names are cut by UTF-8
 * bytes, between whole characters (grapheme clusters: an emoji or an accented letter is never
 * split). shared/ runs in the renderer too: no Buffer here.
 */

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** The length of `text` in UTF-8 (a lone surrogate counts as the 3 bytes of U+FFFD). */
export function utf8Bytes(text: string): number {
  let n = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    n += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return n;
}

/** The longest start of `text` whose UTF-8 encoding fits in `maxBytes`, cut between characters. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (utf8Bytes(text) <= maxBytes) return text;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes.segment(text)) {
    const bytes = utf8Bytes(segment);
    if (used + bytes > maxBytes) break;
    out += segment;
    used += bytes;
  }
  return out;
}

/** `name` within `maxBytes`, its extension kept ("长名字….png" stays a .png). */
export function fitName(name: string, maxBytes: number): string {
  if (utf8Bytes(name) <= maxBytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
  return cutToBytes(name.slice(0, name.length - ext.length), maxBytes - utf8Bytes(ext)) + ext;
}
