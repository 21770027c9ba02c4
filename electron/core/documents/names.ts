import filenamify from 'filenamify';

/**
 * File names for per-document PDFs, from a template such as `{code}.pdf`: safe on Windows,
 * macOS and Linux (filenamify: reserved characters, control characters, reserved device names
 * like CON or LPT1, trailing dots and spaces; NFC), short enough in UTF-8 bytes for every file
 * system (255 bytes, with room for a number), and unique in the batch: a second "A.pdf" becomes
 * "A (2).pdf", compared as the case-insensitive file systems of Windows and macOS compare them.
 */

export interface NameFields {
  n: number;
  code: string | null;
  batch: string;
}

/** Room for " (9999)" and ".pdf" within the 255 bytes most file systems allow a name. */
const MAX_BASE_BYTES = 200;

export function documentFileNames(template: string, docs: NameFields[]): string[] {
  const taken = new Set<string>();
  return docs.map((d) => {
    const base = safeBase(expand(template, d)) || `document-${d.n}`;
    let name = `${base}.pdf`;
    for (let k = 2; taken.has(foldCase(name)); k++) name = `${base} (${k}).pdf`;
    taken.add(foldCase(name));
    return name;
  });
}

function expand(template: string, d: NameFields): string {
  const out = template.replace(/\{(code|n|batch)\}/g, (_, name: string) =>
    name === 'code' ? (d.code ?? '') : name === 'n' ? String(d.n) : d.batch,
  );
  return out.replace(/\.pdf$/i, '');
}

/** The name without extension made safe, or '' when nothing meaningful is left. */
function safeBase(raw: string): string {
  if (raw.trim() === '') return '';
  const safe = filenamify(raw, { replacement: '_', maxLength: 150 });
  const trimmed = fitBytes(safe, MAX_BASE_BYTES).replace(/[. ]+$/, '');
  return /[^_\s.]/.test(trimmed) ? trimmed : '';
}

const encoder = new TextEncoder();
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Cuts between characters (never inside a CJK character or an emoji) to fit `max` UTF-8 bytes. */
function fitBytes(s: string, max: number): string {
  if (encoder.encode(s).length <= max) return s;
  let out = '';
  let bytes = 0;
  for (const { segment } of graphemes.segment(s)) {
    const n = encoder.encode(segment).length;
    if (bytes + n > max) break;
    out += segment;
    bytes += n;
  }
  return out;
}

function foldCase(name: string): string {
  return name.normalize('NFC').toLowerCase();
}
