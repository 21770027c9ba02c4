import type { z } from 'zod';
import type { CredentialFieldView, Localized, SettingFieldView, VendorDescription } from '../../../shared/contract/vendors';
import type { Task, VendorId } from '../../../shared/engines';
import type { CredentialProvider } from '../credentials/types';
import type { Engine } from '../engines/engine';
import type { Budget, PreparedImage } from '../imaging/types';
import type { ImageSource } from '../intake/types';
import type { Network, RetryOptions, VendorEvent } from './common';

/**
 * Everything ScanDesk knows about one cloud vendor, in one place: its folder's
 * `definition.ts`. The engine registry builds engines and readiness from it, the connection
 * tests run its test, the credential store reads its fields, the settings file validates with
 * its schema, the CLI takes its names and tasks, and the settings screen is drawn from its
 * description (vendors.describe). Adding a vendor: a folder with a definition, its entry in
 * ./index.ts, and its id in shared/engines.ts.
 */
export interface VendorDefinition<S extends object = object> {
  readonly id: VendorId;
  /** How messages name it ("Tencent Cloud OCR"). */
  readonly name: string;
  /** How the interface names it, per language. */
  readonly label: Localized;
  /** One line on what it does for ScanDesk, per language. */
  readonly about: Localized;
  readonly tasks: readonly Task[];
  /**
   * Its credential fields, in the order they are asked for. The field marked `identifies` is
   * shown masked; `secret` fields are never shown; `optional` ones may be left empty. Each
   * names the environment variable a headless machine can set instead of the keychain.
   */
  readonly credentials: readonly CredentialField[];
  /** Its non-secret settings: the schema (strict, with defaults) and how the settings screen shows them. */
  readonly settings: { readonly schema: z.ZodType<S>; readonly form: readonly SettingFieldView[] };
  /**
   * Where requests go: the settings field holding the endpoint URL, the environment variable
   * that overrides it for one process (emulators, a private endpoint), and the vendor's own
   * service (the origin its keys are bound to by default: credentials/endpoint.ts).
   */
  readonly endpoint: { readonly key: keyof S & string; readonly env: string; readonly help: string; readonly official: string };
  /** Plan options (EnginePlan.options) this vendor understands; a fallback plan's options serve both engines. */
  readonly optionKeys: readonly string[];
  /**
   * What these settings still lack before the vendor can run (besides credentials): a code
   * for the status ('bucket', 'region') and a sentence for the user.
   */
  missing(settings: S): MissingSetting[];
  /** A long-lived engine for these settings (rebuilt when they change). */
  createEngine(context: EngineContext<S>): Engine;
  /**
   * "Test connection": cheap real requests with the stored credentials that prove what a batch
   * needs; resolves, or throws the ScanError a batch would get (never a secret).
   */
  testConnection(context: ConnectionContext<S>): Promise<void>;
}

export interface CredentialField extends CredentialFieldView {
  /** The field that identifies the account (shown masked, e.g. "AKID…3f9a"). */
  readonly identifies?: boolean;
}

export interface MissingSetting {
  code: string;
  message: string;
}

export type PrepareFn = (source: ImageSource, budget: Budget) => Promise<PreparedImage>;

export interface EngineContext<S> {
  settings: S;
  credentials: CredentialProvider;
  /** Fits a page under the vendor's budget off the service's thread. */
  prepare: PrepareFn;
  retry?: Omit<RetryOptions, 'signal' | 'onRetry'>;
  /** Retries and stops, for logs and notices (messages are secret-free). */
  onEvent?: (event: VendorEvent) => void;
  /** How requests leave (direct or the organisation's proxy): the engine closes it when it closes. */
  network: Network;
  /** The profile's folder (beside its database), for what a vendor must remember across runs; none in tests of one run. */
  dataDir?: string;
}

export interface ConnectionContext<S> {
  settings: S;
  credentials: CredentialProvider;
  timeoutMs: number;
  signal?: AbortSignal;
  /** How requests leave (direct or the organisation's proxy); closed by the caller afterwards. */
  network: Network;
}

/** The description the renderer gets (no functions, no environment help text). */
export function describeVendor(d: VendorDefinition): VendorDescription {
  return {
    id: d.id,
    name: d.label,
    about: d.about,
    tasks: [...d.tasks],
    credentials: d.credentials.map((f) => ({ key: f.key, label: f.label, secret: f.secret, optional: f.optional, env: f.env, ...(f.expiry ? { expiry: true } : {}) })),
    settings: d.settings.form.map((f) => ({ ...f })),
  };
}

/** The field that identifies the account. */
export function identifyingField(d: VendorDefinition): CredentialField {
  return d.credentials.find((f) => f.identifies) ?? d.credentials[0]!;
}
