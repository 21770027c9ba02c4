import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

/**
 * Running a command as a user meets it, timed: wall time, and the CPU time of the command and
 * everything it waits for (bash's `time`, which counts every thread and child), plus its output.
 */
export interface Timed {
  wall: number; // s
  cpu: number; // s, user + sys
  code: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
}

export function timed(cmd: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    // exit status and signal of the command itself, then the times, on stderr's last line
    const script = 'TIMEFORMAT="@@time %R %U %S"; time { "$@"; rc=$?; }; echo "@@rc $rc" >&2';
    const child = spawn('bash', ['-c', script, 'bash', cmd, ...args], {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
    child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    child.on('error', reject);
    child.on('close', () => {
      const t = /@@time ([\d.]+) ([\d.]+) ([\d.]+)/.exec(stderr);
      const rc = /@@rc (\d+)/.exec(stderr);
      const code = rc ? Number(rc[1]) : null;
      stderr = stderr.replace(/@@time .*\n?/, '').replace(/@@rc .*\n?/, '');
      // bash reports a command killed by a signal as 128 + its number
      const signal = code !== null && code > 128 ? `signal ${code - 128}` : null;
      resolve({ wall: t ? Number(t[1]) : NaN, cpu: t ? Number(t[2]) + Number(t[3]) : NaN, code, signal, stdout, stderr });
    });
  });
}

/** Runs `jobs` commands at most `parallel` at a time; wall is the whole span, cpu the sum. */
export async function pooled(jobs: Array<() => Promise<Timed>>, parallel: number): Promise<{ wall: number; cpu: number; runs: Timed[] }> {
  const runs: Timed[] = new Array(jobs.length);
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(parallel, jobs.length) }, async () => {
      while (next < jobs.length) {
        const i = next++;
        runs[i] = await jobs[i]!();
      }
    }),
  );
  return { wall: (performance.now() - t0) / 1000, cpu: runs.reduce((s, r) => s + r.cpu, 0), runs };
}

/** What a tool read: per page number (1-based) the texts of the codes it reported. */
export type Found = Map<number, string[]>;

function add(found: Found, page: number, text: string): void {
  const list = found.get(page) ?? [];
  list.push(text);
  found.set(page, list);
}

/** Page number of a per-page file of the set (page-007.png is page 7). */
export function pageOfFile(path: string): number {
  const m = /page-(\d+)\./.exec(basename(path));
  return m ? Number(m[1]) : NaN;
}

/**
 * zbarimg's XML: one <source href> per file, one <index num> per page of it (0-based), symbols
 * with CDATA text. `perFile`: the files are one page each (page from the name).
 */
export function parseZbarXml(xml: string, perFile: boolean): Found {
  const found: Found = new Map();
  for (const src of xml.split('<source ').slice(1)) {
    const href = /href='([^']*)'/.exec(src)?.[1] ?? '';
    for (const idx of src.split('<index ').slice(1)) {
      const num = Number(/num='(\d+)'/.exec(idx)?.[1] ?? 0);
      const page = perFile ? pageOfFile(href) : num + 1;
      for (const m of idx.matchAll(/<data><!\[CDATA\[([\s\S]*?)\]\]><\/data>/g)) add(found, page, m[1]!);
    }
  }
  return found;
}

/** ZXingReader -1: `<file> <format> "<text>"` per code. */
export function parseZxingLines(out: string): Found {
  const found: Found = new Map();
  for (const line of out.split('\n')) {
    const m = /^(\S+) (\S+) "(.*)"$/.exec(line);
    if (m) add(found, pageOfFile(m[1]!), m[3]!);
  }
  return found;
}

/** ScanDesk's JSON export: items with path, page and detections. */
export function parseScanDeskJson(path: string, perFile: boolean): Found {
  const found: Found = new Map();
  const out = JSON.parse(readFileSync(path, 'utf8')) as { items: Array<{ path: string; page: number; detections?: Array<{ text: string }> }> };
  for (const it of out.items) {
    const page = perFile ? pageOfFile(it.path) : it.page;
    if (!found.has(page)) found.set(page, []);
    for (const d of it.detections ?? []) add(found, page, d.text);
  }
  return found;
}

export interface Score {
  expected: number;
  found: number;
  missed: number;
  invented: number;
}

/** Codes found against the truth, page by page (a text on the wrong page is missed and invented). */
export function score(truth: Array<Array<{ text: string }>>, found: Found): Score {
  let expected = 0;
  let ok = 0;
  let invented = 0;
  truth.forEach((codes, i) => {
    const got = [...(found.get(i + 1) ?? [])];
    expected += codes.length;
    for (const c of codes) {
      const k = got.indexOf(c.text);
      if (k >= 0) {
        ok++;
        got.splice(k, 1);
      }
    }
    invented += got.length;
  });
  for (const page of found.keys()) if (page < 1 || page > truth.length) invented += found.get(page)!.length;
  return { expected, found: ok, missed: expected - ok, invented };
}
