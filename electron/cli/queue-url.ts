import { UsageError } from './errors';

/** The shared queue's URL from --queue or SCANDESK_QUEUE; a postgres:// or postgresql:// URL. */
export function queueUrl(flag: string | undefined, env: NodeJS.ProcessEnv): string {
  const url = flag ?? env.SCANDESK_QUEUE;
  if (!url) throw new UsageError('Name the shared queue: --queue postgres://user@host/db (or set SCANDESK_QUEUE).');
  if (!/^postgres(ql)?:\/\//.test(url)) throw new UsageError(`--queue takes a PostgreSQL URL (postgres://user@host:5432/db), not "${redactUrl(url)}".`);
  return url;
}

/** The URL as it may be printed: any password replaced by ***. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}
