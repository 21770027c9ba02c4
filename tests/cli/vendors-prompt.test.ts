import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../electron/core/credentials/store';
import { vendorDefinition } from '../../electron/core/vendors';
import { startPrivateKeychain, type PrivateKeychain } from '../setup/keychain';
import { BIN, ROOT } from './helpers';

/**
 * `scandesk credentials set` on a real terminal (a pseudo-terminal from util-linux `script`):
 * it asks for each field, echoes the identifier, never the secret, and stores both in a real
 * Secret Service.
 */
let keychain: PrivateKeychain;
beforeAll(async () => {
  keychain = await startPrivateKeychain();
  Object.assign(process.env, keychain.env);
  delete process.env.DISPLAY;
}, 60_000);
afterAll(async () => {
  await keychain?.stop();
});

const SECRET_ID = 'AKIDpromptTest00000000000000Qx7';
const SECRET_KEY = 'PromptSecretKeyNeverEchoed123456';
// Temporary keys add optional fields (a session token, its expiry) after the two required ones.
const OPTIONAL_FIELDS = vendorDefinition('tencent').credentials.filter((f) => f.optional).length;
const SKIP = 'Enter to skip): ';

describe('scandesk credentials set on a terminal', () => {
  it('prompts per field and does not echo the secret', async () => {
    const cmd = [process.execPath, BIN, 'credentials', 'set', 'tencent'].map((a) => `'${a}'`).join(' ');
    const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    const answered = new Set<string>();
    const code = await new Promise<number | null>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer; output so far: ${out}`)), 60_000);
      child.stdout.setEncoding('utf8').on('data', (s: string) => {
        out += s;
        // Type only once the prompt is there (the program has switched echo off by then).
        if (out.includes('tencent secretId: ') && !answered.has('id')) {
          answered.add('id');
          child.stdin.write(`${SECRET_ID}\r`);
        }
        if (out.includes('tencent secretKey (not shown): ') && !answered.has('key')) {
          answered.add('key');
          child.stdin.write(`${SECRET_KEY}\r`);
        }
        // Each optional field is skipped with Enter, once its prompt is there.
        const skips = out.split(SKIP).length - 1;
        if (skips > 0 && !answered.has(`skip${skips}`)) {
          answered.add(`skip${skips}`);
          child.stdin.write('\r');
        }
      });
      child.on('close', (c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
    child.stdin.end();
    expect(code, out).toBe(0);
    expect(out).toContain(SECRET_ID); // the identifier is echoed as typed
    expect(out).not.toContain(SECRET_KEY);
    expect(out).toMatch(/Stored the Tencent Cloud OCR credentials in the system keychain \(AKID…0Qx7\)/);
    expect(await new CredentialStore().get('tencent')).toEqual({ secretId: SECRET_ID, secretKey: SECRET_KEY });
  }, 90_000);

  it('keeps echo off between prompts: both answers pasted at the first prompt are read, the secret not shown', async () => {
    // The terminal stays raw from the first question to the last, so nothing typed ahead of the
    // secret's prompt is echoed by the terminal itself, and the second line waits for its prompt.
    const id = 'AKIDpastedAhead0000000000000Zz9';
    const key = 'PastedSecretKeyNeverEchoed654321';
    const { code, out } = await runOnTerminal((seen, write) => {
      if (seen.includes('tencent secretId: ')) {
        write(`${id}\r${key}\r${'\r'.repeat(OPTIONAL_FIELDS)}`);
        return true;
      }
      return false;
    });
    expect(code, out).toBe(0);
    expect(out).not.toContain(key);
    expect(out).toContain('tencent secretKey (not shown): ');
    expect(out.split(SKIP).length - 1).toBe(OPTIONAL_FIELDS);
    expect(await new CredentialStore().get('tencent')).toEqual({ secretId: id, secretKey: key });
  }, 90_000);
});

/** Runs `scandesk credentials set tencent` on a pseudo-terminal; `answer` types once it returns true. */
async function runOnTerminal(answer: (seen: string, write: (s: string) => void) => boolean): Promise<{ code: number | null; out: string }> {
  const cmd = [process.execPath, BIN, 'credentials', 'set', 'tencent'].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', cmd, '/dev/null'], { cwd: ROOT, env: { ...process.env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let answered = false;
  const code = await new Promise<number | null>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer; output so far: ${out}`)), 60_000);
    child.stdout.setEncoding('utf8').on('data', (s: string) => {
      out += s;
      if (!answered) answered = answer(out, (text) => child.stdin.write(text));
    });
    child.on('close', (c) => {
      clearTimeout(timer);
      resolve(c);
    });
  });
  child.stdin.end();
  return { code, out };
}
