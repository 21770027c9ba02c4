import { createRequire } from 'node:module';
import { ScanError } from '../errors';

/**
 * The OS keychain through keytar, loaded on first use only: a missing or broken native module
 * (or a machine without a Secret Service) must never stop the app from starting; it turns into
 * KEYCHAIN_UNAVAILABLE when someone actually needs a credential, and the local engine keeps
 * working.
 */
export interface KeychainBackend {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

/** What the user can do about it, per platform (Linux is the one that needs setting up). */
export const KEYCHAIN_HELP =
  process.platform === 'linux'
    ? 'ScanDesk keeps vendor credentials in the system keychain (Secret Service), which is not available: ' +
      'start a desktop session with GNOME Keyring or KWallet unlocked (headless: run inside a D-Bus session ' +
      'with gnome-keyring-daemon --unlock). Local decoding keeps working without it.'
    : 'ScanDesk keeps vendor credentials in the system keychain, which is not available. ' +
      'Local decoding keeps working without it.';

// Not named `require`: electron-vite adds its own module-level `require` shim to ESM chunks.
const nodeRequire = createRequire(import.meta.url);
let loaded: Promise<KeychainBackend> | null = null;

function loadKeytar(): Promise<KeychainBackend> {
  if (!loaded) {
    loaded = (async () => {
      try {
        // require, not import: keytar is CommonJS with a native addon; a failure here is a
        // plain exception we can turn into KEYCHAIN_UNAVAILABLE.
        return nodeRequire('keytar') as KeychainBackend;
      } catch (err) {
        throw new ScanError('KEYCHAIN_UNAVAILABLE', `The keychain module could not be loaded. ${KEYCHAIN_HELP}`, {
          cause: err,
        });
      }
    })();
    // A failed load is retried next time (e.g. after the user installed libsecret).
    loaded.catch(() => {
      loaded = null;
    });
  }
  return loaded;
}

/**
 * Every keychain call with a time limit: a locked keyring can sit waiting for a prompt that
 * never shows on a headless machine, and the settings screen must not hang on it.
 */
export function keytarBackend(timeoutMs = 10_000): KeychainBackend {
  const call = async <T>(what: string, fn: (k: KeychainBackend) => Promise<T>): Promise<T> => {
    const keytar = await loadKeytar();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new ScanError('KEYCHAIN_UNAVAILABLE', `The keychain did not answer within ${timeoutMs / 1000} s (${what}); is it locked? ${KEYCHAIN_HELP}`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([fn(keytar), timeout]);
    } catch (err) {
      if (err instanceof ScanError) throw err;
      // keytar's messages name the D-Bus problem ("Cannot autolaunch D-Bus without X11
      // $DISPLAY", "The name org.freedesktop.secrets was not provided"): useful, never secret.
      const detail = err instanceof Error ? err.message : String(err);
      throw new ScanError('KEYCHAIN_UNAVAILABLE', `The keychain refused to ${what} (${detail}). ${KEYCHAIN_HELP}`, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    getPassword: (s, a) => call('read a credential', (k) => k.getPassword(s, a)),
    setPassword: (s, a, p) => call('store a credential', (k) => k.setPassword(s, a, p)),
    deletePassword: (s, a) => call('delete a credential', (k) => k.deletePassword(s, a)),
    findCredentials: (s) => call('list credentials', (k) => k.findCredentials(s)),
  };
}
