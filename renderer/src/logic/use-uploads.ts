import { useCallback, useRef, useState } from 'react';
import type { Result } from '../../../shared/contract';
import { UPLOAD_LIMITS } from '../../../shared/uploads';
import type { PickedFile } from './dropped-files';

export interface UploadState {
  /** Files sent and still to send. */
  total: number;
  sent: number;
  /** Files the host refused, each with its reason (the others go on). */
  failed: Array<{ path: string; code: string; message: string }>;
  /** The folder the host keeps this dialog's files in (a path like any other), once one arrived. */
  folder: string | null;
  busy: boolean;
}

const IDLE: UploadState = { total: 0, sent: 0, failed: [], folder: null, busy: false };

function newSession(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Sends one file into the session's folder on the host; answers where it was written. */
export type SendFile = (file: File, session: string, relativePath: string) => Promise<Result<{ path: string; folder: string }>>;

/**
 * Sends picked or dropped files to the browser host (or, in the desktop app, captured camera
 * frames to the profile: `send` says how), one after the other (the host streams
 * each to disk), all into one folder for this dialog. A file refused (too large, a name that
 * cannot be written) is listed with its reason and the others go on.
 */
export function useUploads(send: SendFile | null) {
  const [state, setState] = useState<UploadState>(IDLE);
  const session = useRef<string | null>(null);
  const chain = useRef<Promise<void>>(Promise.resolve());

  const add = useCallback(
    (files: PickedFile[]) => {
      const upload = send;
      if (!upload || files.length === 0) return;
      session.current ??= newSession();
      const sid = session.current;
      setState((s) => ({ ...s, total: s.total + files.length, busy: true }));
      chain.current = chain.current.then(async () => {
        for (const f of files) {
          const r =
            f.file.size > UPLOAD_LIMITS.maxFileBytes
              ? { ok: false as const, error: { code: 'IMAGE_TOO_LARGE', message: `${f.path}: over the ${UPLOAD_LIMITS.maxFileBytes / 1024 / 1024} MB limit for one file.` } }
              : await upload(f.file, sid, f.path);
          setState((s) =>
            r.ok
              ? { ...s, sent: s.sent + 1, folder: r.value.folder }
              : { ...s, sent: s.sent + 1, failed: [...s.failed, { path: f.path, code: r.error.code, message: r.error.message }] },
          );
        }
        setState((s) => ({ ...s, busy: s.sent < s.total }));
      });
    },
    [send],
  );

  return { uploads: state, addUploads: add };
}
