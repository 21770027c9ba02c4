import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Looks for secrets where they must never be: every file under some folders (the SQLite
 * database with its -wal/-shm, settings, exports, logs...), single files, and captured text
 * (a CLI's stdout/stderr, messages sent to a renderer). Each secret is searched in the forms
 * it could take on the way: as is (UTF-8 and UTF-16LE), percent-encoded, hex (both cases),
 * and base64 / base64url at each of the three byte alignments (a secret inside a longer
 * base64 payload appears in one of them).
 *
 * Returns every hit (empty when clean), naming the place, the secret's label and the form.
 */
export interface SecretHit {
  where: string;
  secret: string;
  form: string;
}

export interface SecretSearch {
  /** label -> secret value (labels appear in hits, values never do). */
  secrets: Record<string, string>;
  /** Folders searched recursively (every regular file). */
  dirs?: string[];
  files?: string[];
  /** name -> captured text. */
  texts?: Record<string, string>;
  /** Paths under `dirs` to leave out (e.g. the keychain's own files). */
  exclude?: (path: string) => boolean;
}

export function secretForms(secret: string): Array<{ form: string; bytes: Buffer }> {
  const raw = Buffer.from(secret, 'utf8');
  const forms: Array<{ form: string; bytes: Buffer }> = [
    { form: 'utf8', bytes: raw },
    { form: 'utf16le', bytes: Buffer.from(secret, 'utf16le') },
    { form: 'hex', bytes: Buffer.from(raw.toString('hex')) },
    { form: 'HEX', bytes: Buffer.from(raw.toString('hex').toUpperCase()) },
  ];
  const encoded = encodeURIComponent(secret);
  if (encoded !== secret) forms.push({ form: 'percent-encoded', bytes: Buffer.from(encoded) });
  for (let shift = 0; shift < 3; shift++) {
    // Base64 of the secret preceded by `shift` unknown bytes: drop the characters those bytes
    // touch and the last partial group, keep the stable middle.
    // Character i carries bits [6i, 6i+6); the secret's bits are [8*shift, 8*(shift+len)).
    const b64 = Buffer.concat([Buffer.alloc(shift), raw]).toString('base64');
    const core = b64.slice(Math.ceil((8 * shift) / 6), Math.floor((8 * (shift + raw.length)) / 6));
    if (core.length >= 8) {
      forms.push({ form: `base64@${shift}`, bytes: Buffer.from(core) });
      forms.push({ form: `base64url@${shift}`, bytes: Buffer.from(core.replace(/\+/g, '-').replace(/\//g, '_')) });
    }
  }
  return forms;
}

function walk(dir: string, exclude: (p: string) => boolean, out: string[]): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    const p = join(dir, name);
    if (exclude(p)) continue;
    let st;
    try {
      st = statSync(p);
    } catch {
      continue;
    }
    if (st.isDirectory()) walk(p, exclude, out);
    else if (st.isFile()) out.push(p);
  }
}

/** Every regular file a search would read (to assert the search covered what it should). */
export function filesSearched(s: Pick<SecretSearch, 'dirs' | 'files' | 'exclude'>): string[] {
  const out: string[] = [];
  for (const d of s.dirs ?? []) walk(d, s.exclude ?? (() => false), out);
  return [...out, ...(s.files ?? [])];
}

export function findSecrets(s: SecretSearch): SecretHit[] {
  const needles = Object.entries(s.secrets).flatMap(([label, value]) => secretForms(value).map((f) => ({ label, ...f })));
  const hits: SecretHit[] = [];
  const scan = (where: string, hay: Buffer) => {
    for (const n of needles) if (hay.includes(n.bytes)) hits.push({ where, secret: n.label, form: n.form });
  };
  for (const f of filesSearched(s)) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(f);
    } catch {
      continue;
    }
    scan(f, bytes);
  }
  for (const [name, text] of Object.entries(s.texts ?? {})) scan(name, Buffer.from(text, 'utf8'));
  return hits;
}
