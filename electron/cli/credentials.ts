import { resolve } from 'node:path';
import { testConnection } from '../core/credentials/connection-test';
import { ProfileCredentials } from '../core/credentials/environment';
import { VENDOR_IDS, type VendorId } from '../core/credentials/types';
import { VENDOR_NAMES } from '../core/engines/registry';
import { secretDestination } from '../core/credentials/endpoint';
import { ScanError } from '../core/errors';
import { formatUtc } from '../core/vendors/common/expiry';
import { mergePatch, VendorSettingsStore, vendorSettingsPath, type VendorSettings, type VendorSettingsPatch } from '../core/settings';
import { EXIT_FAILURE, EXIT_OK, UsageError } from './errors';
import { defaultDbPath } from './paths';
import type { CliIo } from './scan';
import { readCredentials, readProxyLogin } from './secret-input';
import { proxyFor } from '../core/vendors/common/proxy';

export interface CredentialsOptions {
  db?: string;
  /** proxy-login: the proxy's user name (not a secret; the password never comes from a flag). */
  user?: string;
  region?: string;
  bucket?: string;
}

/** The vendor settings in effect for the profile of `--db`, with the environment's endpoints and the flags. */
function profileSettings(vendor: VendorId, o: CredentialsOptions, io: CliIo): VendorSettings {
  const dbPath = resolve(o.db ?? defaultDbPath(io.env));
  const patch: VendorSettingsPatch = {};
  if (o.region) patch[vendor] = { region: o.region } as never;
  if (o.bucket) patch.alioss = { ...patch.alioss, bucket: o.bucket };
  return mergePatch(new VendorSettingsStore(vendorSettingsPath(dbPath), io.env).get(), patch);
}

/**
 * The proxy the vendors of the profile of `--db` would go through now (the Network setting
 * beside the database, or the system's HTTPS_PROXY...), as the app computes it; null: direct.
 */
function proxyInEffect(o: CredentialsOptions, io: CliIo): string | null {
  const dbPath = resolve(o.db ?? defaultDbPath(io.env));
  const settings = new VendorSettingsStore(vendorSettingsPath(dbPath), io.env).get();
  return proxyFor(new URL('https://scandesk.invalid/'), settings.network.proxy, io.env)?.origin ?? null;
}

/** "temporary keys, expire 2026-12-06 18:00 UTC" / "temporary keys EXPIRED at ..." for the status line. */
function temporaryNote(temporary: boolean | undefined, expiresAt: string | null | undefined): string {
  if (!temporary) return '';
  if (!expiresAt) return 'temporary keys, expiry not given';
  const at = Date.parse(expiresAt);
  return at <= Date.now() ? `temporary keys EXPIRED at ${formatUtc(at)}: set new ones` : `temporary keys, expire ${formatUtc(at)}`;
}

export function parseVendor(value: string | undefined): VendorId {
  if (!value || !(VENDOR_IDS as readonly string[]).includes(value)) {
    throw new UsageError(`Name a vendor: ${VENDOR_IDS.join(', ')}${value ? ` (not "${value}")` : ''}.`);
  }
  return value as VendorId;
}

/**
 * `scandesk credentials set|status|delete|test`: the OS keychain entries of the cloud vendors.
 * Secrets come from a prompt or stdin, never from argv; nothing printed here holds a secret
 * (status shows a masked id only).
 */
export async function runCredentials(action: string, vendorArg: string | undefined, o: CredentialsOptions, io: CliIo): Promise<number> {
  // The environment's credentials where a vendor's variables are set (headless), else the keychain.
  const credentials = new ProfileCredentials(undefined, io.env);
  const store = credentials.store;
  try {
    switch (action) {
      case 'status': {
        const st = await credentials.status();
        for (const v of st.vendors) {
          const notes = [v.source === 'environment' ? 'from environment variables' : '', temporaryNote(v.temporary, v.expiresAt)].filter(Boolean);
          io.stdout.write(`${v.vendor.padEnd(8)} ${v.configured ? `configured  ${v.maskedId ?? ''}${notes.map((n) => `  (${n})`).join('')}` : 'not set up'}\n`);
        }
        if (!st.available) {
          io.stderr.write(`${st.error?.message ?? 'The keychain is not available.'}\n`);
          return EXIT_FAILURE;
        }
        const proxy = st.proxy;
        io.stdout.write(`${'proxy'.padEnd(8)} ${proxy?.configured ? `signed in for ${proxy.proxy}` : 'no sign-in stored'}\n`);
        return EXIT_OK;
      }
      case 'proxy-login': {
        if (vendorArg) throw new UsageError('proxy-login takes no vendor: the sign-in is for the proxy every vendor goes through.');
        // Bound to the proxy in effect for this profile, exactly as the app's Settings does.
        const proxy = proxyInEffect(o, io);
        if (!proxy) {
          throw new UsageError('There is no proxy to sign in to: set one with "scandesk settings set network.proxy http://host:port" (or HTTPS_PROXY) first.');
        }
        if (!io.stdin) throw new UsageError('No input to read the proxy sign-in from.');
        const auth = await readProxyLogin(o.user, io.stdin, io.stderr);
        const st = await store.proxy.set(auth, proxy);
        io.stdout.write(`Stored the proxy sign-in in the system keychain, for ${st.proxy} only (sent only when that proxy asks for it).\n`);
        return EXIT_OK;
      }
      case 'proxy-logout': {
        const removed = await store.proxy.delete();
        io.stdout.write(removed ? 'Deleted the proxy sign-in.\n' : 'No proxy sign-in was stored.\n');
        return EXIT_OK;
      }
      case 'set': {
        const vendor = parseVendor(vendorArg);
        if (!io.stdin) throw new UsageError('No input to read the credentials from.');
        // The keys are bound to the endpoint this profile (and the environment) points the vendor at.
        const endpoint = secretDestination(vendor, profileSettings(vendor, o, io)[vendor]);
        const creds = await readCredentials(vendor, io.stdin, io.stderr);
        const st = await store.set(vendor, creds as never, { endpoint });
        io.stdout.write(`Stored the ${VENDOR_NAMES[vendor]} credentials in the system keychain (${st.maskedId ?? 'id hidden'}), for ${endpoint} only.\n`);
        if (credentials.source(vendor) === 'environment') {
          io.stderr.write(`Note: this process has ${VENDOR_NAMES[vendor]} credentials in environment variables; they are used instead while set.\n`);
        }
        return EXIT_OK;
      }
      case 'delete': {
        const vendor = parseVendor(vendorArg);
        const removed = await store.delete(vendor);
        io.stdout.write(removed ? `Deleted the ${VENDOR_NAMES[vendor]} credentials.\n` : `No ${VENDOR_NAMES[vendor]} credentials were stored.\n`);
        return EXIT_OK;
      }
      case 'test': {
        const vendor = parseVendor(vendorArg);
        const r = await testConnection(vendor, credentials, profileSettings(vendor, o, io), undefined, undefined, io.env);
        if (r.ok) {
          io.stdout.write(`${VENDOR_NAMES[vendor]}: connection OK (${r.elapsedMs} ms).\n`);
          return EXIT_OK;
        }
        io.stdout.write(`${VENDOR_NAMES[vendor]}: connection failed: ${r.error!.code}: ${r.error!.message}\n`);
        return EXIT_FAILURE;
      }
      default:
        throw new UsageError(`Unknown action "${action}": use set, status, delete, test, proxy-login or proxy-logout.`);
    }
  } catch (err) {
    if (err instanceof ScanError && err.code !== 'INTERNAL') {
      io.stderr.write(`error: ${err.code}: ${err.message}\n`);
      return err.code === 'INVALID_INPUT' ? 2 : EXIT_FAILURE;
    }
    throw err;
  }
}
