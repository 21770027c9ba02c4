import { VENDOR_FIELDS, VENDOR_ID_FIELD, type VendorId } from '../core/credentials/types';
import { UsageError } from './errors';

/**
 * Reads a vendor's credentials without ever taking them from the command line (other users
 * can read a process's argv with ps):
 * - on a terminal, a prompt per field; the secret field is not echoed;
 * - otherwise from stdin: a JSON object {"secretId": "...", "secretKey": "..."}, or one value
 *   per line in the order of the fields.
 */
export async function readCredentials(vendor: VendorId, stdin: NodeJS.ReadStream, stderr: NodeJS.WriteStream): Promise<Record<string, string>> {
  const fields = VENDOR_FIELDS[vendor] as readonly string[];
  if (stdin.isTTY) {
    const out: Record<string, string> = {};
    for (const f of fields) {
      const hidden = f !== VENDOR_ID_FIELD[vendor];
      out[f] = (await promptLine(stdin, stderr, `${vendor} ${f}${hidden ? ' (not shown)' : ''}: `, hidden)).trim();
    }
    return out;
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
  if (lines.length !== fields.length) {
    throw new UsageError(`Expected ${fields.length} lines on stdin (${fields.join(', ')}), got ${lines.length}.`);
  }
  return Object.fromEntries(fields.map((f, i) => [f, lines[i]!]));
}

async function readAll(stream: NodeJS.ReadStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** One line from a terminal; with `hidden`, typed characters are not echoed. */
function promptLine(stdin: NodeJS.ReadStream, out: NodeJS.WriteStream, question: string, hidden: boolean): Promise<string> {
  out.write(question);
  return new Promise((resolve, reject) => {
    let value = '';
    const wasRaw = stdin.isRaw;
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.off('data', onData);
      stdin.setRawMode(wasRaw);
      stdin.pause();
      out.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new UsageError('Cancelled.'));
        if (ch === '\u007f' || ch === '\b') {
          if (value.length > 0) {
            value = value.slice(0, -1);
            if (!hidden) out.write('\b \b');
          }
          continue;
        }
        value += ch;
        if (!hidden) out.write(ch);
      }
    };
    stdin.on('data', onData);
  });
}
