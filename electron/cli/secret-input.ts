import type { VendorId } from '../core/credentials/types';
import { vendorDefinition } from '../core/vendors';
import { UsageError } from './errors';

/**
 * Reads a vendor's credentials without ever taking them from the command line (other users
 * can read a process's argv with ps):
 * - on a terminal, a prompt per field; the secret field is not echoed;
 * - otherwise from stdin: a JSON object {"secretId": "...", "secretKey": "..."}, or one value
 *   per line in the order of the fields (optional fields last, and may be left out).
 * The vendor's definition says which fields there are.
 */
export async function readCredentials(vendor: VendorId, stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<Record<string, string>> {
  const specs = vendorDefinition(vendor).credentials;
  const fields = specs.map((f) => f.key);
  const required = specs.filter((f) => !f.optional).length;
  if (stdin.isTTY) {
    const terminal = new RawTerminal(stdin, stderr);
    try {
      const out: Record<string, string> = {};
      for (const f of specs) {
        const note = [f.secret ? 'not shown' : '', f.optional ? 'optional, Enter to skip' : ''].filter(Boolean).join(', ');
        const value = (await terminal.prompt(`${vendor} ${f.key}${note ? ` (${note})` : ''}: `, f.secret)).trim();
        if (value || !f.optional) out[f.key] = value;
      }
      return out;
    } finally {
      terminal.close();
    }
  }
  const text = (await readAll(stdin)).trim();
  if (text === '') throw new UsageError(`No ${vendor} credentials on stdin: give ${fields.join(' and ')}, one per line, or as JSON.`);
  if (text.startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      // The parser's message quotes the input: say only what is wrong.
      throw new UsageError(`The ${vendor} credentials on stdin are not valid JSON.`);
    }
    if (!json || typeof json !== 'object' || Array.isArray(json)) throw new UsageError(`The ${vendor} credentials on stdin must be a JSON object.`);
    return Object.fromEntries(Object.entries(json).map(([k, v]) => [k, typeof v === 'string' ? v : ''])) as Record<string, string>;
  }
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  if (lines.length < required || lines.length > fields.length) {
    const expected = required === fields.length ? `${required}` : `${required} to ${fields.length}`;
    throw new UsageError(`Expected ${expected} lines on stdin (${fields.join(', ')}), got ${lines.length}.`);
  }
  return Object.fromEntries(lines.map((line, i) => [fields[i]!, line]));
}

/**
 * The proxy's sign-in, never from the command line: on a terminal a prompt for the user name
 * (unless given with --user: a user name is not a secret) and one for the password, not echoed;
 * otherwise stdin holds the password alone (with --user) or the user name and the password, one
 * per line (or JSON {"username": ..., "password": ...}).
 */
export async function readProxyLogin(user: string | undefined, stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<{ username: string; password: string }> {
  if (stdin.isTTY) {
    const terminal = new RawTerminal(stdin, stderr);
    try {
      const username = user ?? (await terminal.prompt('proxy user name: ', false)).trim();
      const password = await terminal.prompt(`proxy password for ${username} (not shown): `, true);
      return { username, password };
    } finally {
      terminal.close();
    }
  }
  // The password may hold spaces at either end: only the line break is taken off.
  const text = (await readAll(stdin)).replace(/\r?\n$/, '');
  if (text.trim() === '') throw new UsageError(`No proxy sign-in on stdin: give ${user ? 'the password' : 'the user name and the password, one per line'}.`);
  if (text.trimStart().startsWith('{')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new UsageError('The proxy sign-in on stdin is not valid JSON.');
    }
    const o = (json && typeof json === 'object' && !Array.isArray(json) ? json : {}) as Record<string, unknown>;
    const str = (v: unknown) => (typeof v === 'string' ? v : '');
    return { username: user ?? str(o.username), password: str(o.password) };
  }
  const lines = text.split(/\r?\n/);
  if (user) {
    if (lines.length !== 1) throw new UsageError(`Expected the password alone on stdin (with --user), got ${lines.length} lines.`);
    return { username: user, password: lines[0]! };
  }
  if (lines.length !== 2) throw new UsageError(`Expected 2 lines on stdin (user name, password), got ${lines.length}.`);
  return { username: lines[0]!.trim(), password: lines[1]! };
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Line prompts on a terminal held in raw mode from the first prompt to the last. Raw mode is
 * switched on before a question is shown and stays on between questions: a secret typed (or
 * pasted) the moment its prompt appears, or ahead of it, is never echoed by the terminal's own
 * line discipline. Characters that arrive ahead of a prompt (a paste of "id⏎secret⏎") are kept
 * for the next one.
 */
class RawTerminal {
  private pending = '';
  private waiter: (() => void) | null = null;
  private readonly wasRaw: boolean;
  private ended = false;
  private readonly onData = (chunk: string) => {
    this.pending += chunk;
    this.waiter?.();
  };
  private readonly onEnd = () => {
    this.ended = true;
    this.waiter?.();
  };

  constructor(
    private readonly stdin: NodeJS.ReadStream,
    private readonly out: NodeJS.WriteStream,
  ) {
    this.wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.setEncoding('utf8');
    stdin.on('data', this.onData);
    stdin.on('end', this.onEnd);
    stdin.resume();
  }

  /** One line; with `hidden`, typed characters are not echoed. */
  async prompt(question: string, hidden: boolean): Promise<string> {
    this.out.write(question);
    let value = '';
    for (;;) {
      while (this.pending.length > 0) {
        const ch = this.pending[0]!;
        this.pending = this.pending.slice(1);
        if (ch === '\r' || ch === '\n') {
          // A "\r\n" pair is one end of line, not an empty answer to the next prompt.
          if (ch === '\r' && this.pending[0] === '\n') this.pending = this.pending.slice(1);
          this.out.write('\n');
          return value;
        }
        if (ch === '\u0003' || ch === '\u0004') {
          this.out.write('\n');
          throw new UsageError('Cancelled.');
        }
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            if (!hidden) this.out.write('\b \b');
          }
          continue;
        }
        value += ch;
        if (!hidden) this.out.write(ch);
      }
      if (this.ended) {
        this.out.write('\n');
        throw new UsageError('Cancelled: the terminal closed before an answer.');
      }
      await new Promise<void>((resolve) => (this.waiter = resolve));
      this.waiter = null;
    }
  }

  close(): void {
    this.stdin.off('data', this.onData);
    this.stdin.off('end', this.onEnd);
    this.stdin.setRawMode(this.wasRaw);
    this.stdin.pause();
  }
}
