import { appendFileSync, closeSync, existsSync, fsyncSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makePrivateDir, makePrivateFile } from '../../private-files';

/**
 * Pages uploaded to OSS and not yet deleted, written down before each upload so that a run
 * that dies between upload and delete (a crash, a kill, a power cut) leaves a note behind: the
 * next run that uses OSS deletes what the note names. One file per process (`<pid>.jsonl` in
 * the profile's `oss-uploads/`), so a run never sweeps the uploads of another run that is still
 * going (the app and a CLI on the same profile); a file is swept only once its process is gone.
 * Lines are `{"put": key, "bucket": b}` (before the upload) and `{"done": key, "bucket": b}` (after
 * the delete, or when the page is kept on purpose); nothing secret is written.
 */
/** The journal's folder in the profile. */
export const OSS_JOURNAL_FOLDER = 'oss-uploads';

export class UploadJournal {
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly pid = process.pid,
  ) {
    this.file = join(dir, `${pid}.jsonl`);
  }

  /** Before the upload: durable, so a crash right after the PUT still leaves the key written down. */
  begin(bucket: string, key: string): void {
    this.append({ put: key, bucket });
  }

  end(bucket: string, key: string): void {
    this.append({ done: key, bucket });
  }

  /**
   * What runs that are gone left in `bucket`: per journal file, the keys put and never done.
   * Files of live processes (and this one) are left alone.
   */
  leftovers(bucket: string): Array<{ file: string; keys: string[] }> {
    if (!existsSync(this.dir)) return [];
    const out: Array<{ file: string; keys: string[] }> = [];
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)\.jsonl$/.exec(name);
      if (!m || Number(m[1]) === this.pid || alive(Number(m[1]))) continue;
      const file = join(this.dir, name);
      out.push({ file, keys: pending(readFileSync(file, 'utf8'), bucket) });
    }
    return out;
  }

  /** Keys in any bucket that runs now gone put and never marked done (0: nothing to sweep). */
  leftoverCount(): number {
    if (!existsSync(this.dir)) return 0;
    let n = 0;
    for (const name of readdirSync(this.dir)) {
      const m = /^(\d+)\.jsonl$/.exec(name);
      if (!m || Number(m[1]) === this.pid || alive(Number(m[1]))) continue;
      const text = readFileSync(join(this.dir, name), 'utf8');
      const buckets = new Set(text.split('\n').map((l) => parse(l)?.bucket).filter((b): b is string => !!b));
      for (const b of buckets) n += pending(text, b).length;
    }
    return n;
  }

  /** After a sweep: only what is still in the bucket (`kept`) and other buckets' keys stay written down. */
  settle(file: string, bucket: string, kept: readonly string[]): void {
    const others = readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => {
        const e = parse(l);
        return e !== null && e.bucket !== bucket;
      });
    const lines = [...others, ...kept.map((key) => JSON.stringify({ put: key, bucket }))];
    if (lines.length === 0) rmSync(file, { force: true });
    else writeFileSync(file, `${lines.join('\n')}\n`);
  }

  private append(entry: Entry): void {
    makePrivateDir(this.dir);
    if (!existsSync(this.file)) makePrivateFile(this.file);
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    const fd = openSync(this.file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}

interface Entry {
  put?: string;
  done?: string;
  bucket: string;
}

function parse(line: string): Entry | null {
  try {
    const e = JSON.parse(line) as Entry;
    return typeof e.bucket === 'string' ? e : null;
  } catch {
    return null; // a line cut by the crash
  }
}

/** Keys put in `bucket` and not done, in order. */
function pending(text: string, bucket: string): string[] {
  const open = new Set<string>();
  for (const line of text.split('\n')) {
    const e = parse(line);
    if (!e || e.bucket !== bucket) continue;
    if (e.put) open.add(e.put);
    if (e.done) open.delete(e.done);
  }
  return [...open];
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
