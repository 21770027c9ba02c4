import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/**
 * A real Secret Service for one test file: a private D-Bus session bus and gnome-keyring-daemon
 * (secrets component, login keyring unlocked with a throw-away password), all under a temporary
 * HOME and XDG dirs so nothing touches the real keyring. The bus has no service directories,
 * so nothing is auto-activated behind our back.
 *
 * Call it before anything loads keytar (the credential store loads it lazily, on first use),
 * then set `process.env` from `env` — libsecret reads DBUS_SESSION_BUS_ADDRESS when it first
 * connects. `stop()` kills both daemons (by pid) and removes the directory.
 */
export interface PrivateKeychain {
  env: Record<string, string>;
  root: string;
  stop(): Promise<void>;
}

export async function startPrivateKeychain(): Promise<PrivateKeychain> {
  const root = mkdtempSync(join(tmpdir(), 'scandesk-keychain-'));
  const dirs = {
    HOME: join(root, 'home'),
    XDG_RUNTIME_DIR: join(root, 'run'),
    XDG_DATA_HOME: join(root, 'data'),
    XDG_CONFIG_HOME: join(root, 'config'),
    XDG_CACHE_HOME: join(root, 'cache'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
  const busDir = join(root, 'bus');
  mkdirSync(busDir, { mode: 0o700 });
  const config = join(root, 'session.conf');
  writeFileSync(
    config,
    `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=${busDir}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`,
  );

  const children: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of children.reverse()) await killAndWait(child);
    rmSync(root, { recursive: true, force: true });
  };

  try {
    const bus = spawn('dbus-daemon', ['--config-file', config, '--nofork', '--print-address=1'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...dirs },
    });
    children.push(bus);
    const address = await firstLine(bus, 10_000);
    const env: Record<string, string> = { ...dirs, DBUS_SESSION_BUS_ADDRESS: address };
    const baseEnv = { ...process.env, ...env };
    delete baseEnv.DISPLAY;

    const keyring = spawn('gnome-keyring-daemon', ['--foreground', '--unlock', '--components=secrets'], {
      stdio: ['pipe', 'ignore', 'pipe'],
      env: baseEnv,
    });
    children.push(keyring);
    let keyringLog = '';
    keyring.stderr!.on('data', (b: Buffer) => (keyringLog += b.toString()));
    keyring.stdin!.end('scandesk-test-password');
    await waitForName('org.freedesktop.secrets', baseEnv, keyring, () => keyringLog);
    return { env, root, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}

function firstLine(child: ChildProcess, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let errText = '';
    const timer = setTimeout(() => reject(new Error(`dbus-daemon printed no address in ${timeoutMs} ms: ${errText}`)), timeoutMs);
    child.stderr!.on('data', (b: Buffer) => (errText += b.toString()));
    child.stdout!.on('data', (b: Buffer) => {
      out += b.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        resolve(out.slice(0, nl).trim());
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`dbus-daemon exited (${code}): ${errText}`));
    });
  });
}

async function waitForName(name: string, env: NodeJS.ProcessEnv, owner: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (owner.exitCode !== null) throw new Error(`gnome-keyring-daemon exited (${owner.exitCode}): ${log()}`);
    const { stdout } = await execFileAsync(
      'dbus-send',
      ['--session', '--print-reply', '--dest=org.freedesktop.DBus', '/org/freedesktop/DBus', 'org.freedesktop.DBus.NameHasOwner', `string:${name}`],
      { env },
    );
    if (/boolean true/.test(stdout)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${name} did not appear on the private bus within 15 s: ${log()}`);
}

async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
  await exited;
  clearTimeout(timer);
}
