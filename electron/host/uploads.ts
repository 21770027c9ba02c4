import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { UPLOAD_LIMITS, UPLOAD_SESSION, safeUploadParts } from '../../shared/uploads';

/**
 * Files sent by the browser (POST /upload/<session>/<relative path>), written under
 * `<dir>/<session>/` exactly as sent, so the batch reads them like any path: intake gives them
 * the same checks and errors. One file per request, streamed to disk (never held in memory),
 * written to a `.partial` name and renamed when complete, refused past UPLOAD_LIMITS.
 */
export type UploadAnswer = { status: number; body: { path: string; folder: string } | { error: string } };

export function createUploads(dir: string) {
  /** Files received per session (a batch's worth at most). */
  const counts = new Map<string, number>();
  return {
    dir,
    async receive(req: IncomingMessage, tail: string): Promise<UploadAnswer> {
      const answer = await receiveUpload(req, tail, dir, (session) => counts.get(session) ?? 0);
      if (answer.status === 200) {
        const session = tail.slice(0, tail.indexOf('/'));
        counts.set(session, (counts.get(session) ?? 0) + 1);
      }
      return answer;
    },
  };
}

async function receiveUpload(req: IncomingMessage, tail: string, dir: string, received: (session: string) => number): Promise<UploadAnswer> {
  const slash = tail.indexOf('/');
  const session = slash > 0 ? tail.slice(0, slash) : '';
  if (!UPLOAD_SESSION.test(session)) return { status: 400, body: { error: 'The upload needs a session and a file name.' } };
  let relative: string;
  try {
    relative = tail
      .slice(slash + 1)
      .split('/')
      .map((p) => decodeURIComponent(p))
      .join('/');
  } catch {
    return { status: 400, body: { error: 'The file name is not valid.' } };
  }
  const parts = safeUploadParts(relative);
  if (!parts) return { status: 400, body: { error: `“${relative.slice(0, 200)}” cannot be used as a file name.` } };
  const declared = Number(req.headers['content-length']);
  if (!Number.isFinite(declared) || declared < 0) return { status: 411, body: { error: 'The upload must say its length.' } };
  const limitMb = UPLOAD_LIMITS.maxFileBytes / 1024 / 1024;
  if (declared > UPLOAD_LIMITS.maxFileBytes) {
    return { status: 413, body: { error: `${parts.at(-1)}: ${(declared / 1024 / 1024).toFixed(0)} MB is over the ${limitMb} MB limit for one file.` } };
  }
  const folder = join(dir, session);
  if (received(session) >= UPLOAD_LIMITS.maxFiles) {
    return { status: 413, body: { error: `At most ${UPLOAD_LIMITS.maxFiles} files can be sent for one batch.` } };
  }
  const target = await freeName(join(folder, ...parts));
  await mkdir(join(target, '..'), { recursive: true });
  const partial = `${target}.partial`;
  let got = 0;
  const cap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      got += chunk.length;
      if (got > declared || got > UPLOAD_LIMITS.maxFileBytes) done(new Error('too long'));
      else done(null, chunk);
    },
  });
  try {
    await pipeline(req, cap, createWriteStream(partial, { flags: 'wx', mode: 0o600 }));
  } catch {
    await rm(partial, { force: true });
    return { status: 400, body: { error: `${parts.at(-1)}: the upload was cut short or longer than it said.` } };
  }
  if (got !== declared) {
    await rm(partial, { force: true });
    return { status: 400, body: { error: `${parts.at(-1)}: the upload was cut short.` } };
  }
  await rename(partial, target);
  return { status: 200, body: { path: target, folder } };
}

/** A name not taken yet: "scan.png", then "scan (2).png"... (two files of one name dropped from two folders). */
async function freeName(path: string): Promise<string> {
  const dot = path.lastIndexOf('.');
  const slash = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  const [stem, ext] = dot > slash + 1 ? [path.slice(0, dot), path.slice(dot)] : [path, ''];
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? path : `${stem} (${n})${ext}`;
    const taken = await stat(candidate).then(() => true, () => false);
    const partial = await stat(`${candidate}.partial`).then(() => true, () => false);
    if (!taken && !partial) return candidate;
  }
}
