/**
 * Credentials live in the OS keychain only (keytar: one service name, one account per vendor
 * field). Vendor clients read them at signing time through this interface; nothing else does.
 * The renderer only ever sees a CredentialStatus.
 */
export type VendorId = 'tencent' | 'wechat' | 'alioss';

/** Secret and identifying fields per vendor (account names in the keychain: `${vendor}.${field}`). */
export const VENDOR_FIELDS = {
  tencent: ['secretId', 'secretKey'],
  wechat: ['appId', 'appSecret'],
  alioss: ['accessKeyId', 'accessKeySecret'],
} as const satisfies Record<VendorId, readonly string[]>;

export type VendorField<V extends VendorId> = (typeof VENDOR_FIELDS)[V][number];

export type VendorCredentials<V extends VendorId> = Record<VendorField<V>, string>;

/** What the UI may know: configured or not, and a masked identifier (e.g. "AKID…3f9a"). */
export interface CredentialStatus {
  vendor: VendorId;
  configured: boolean;
  maskedId: string | null;
  /** The endpoint the keys were saved for (they are sent nowhere else); null when not configured or unknown. */
  endpoint?: string | null;
}

export interface CredentialProvider {
  /** The vendor's credentials, or null when not configured. Throws KEYCHAIN_UNAVAILABLE. */
  get<V extends VendorId>(vendor: V): Promise<VendorCredentials<V> | null>;
}

/** The field that identifies an account (shown masked); the other field is the secret. */
export const VENDOR_ID_FIELD = {
  tencent: 'secretId',
  wechat: 'appId',
  alioss: 'accessKeyId',
} as const satisfies { [V in VendorId]: VendorField<V> };

export const VENDOR_IDS = Object.keys(VENDOR_FIELDS) as VendorId[];

/** How each vendor is named to people (messages, the settings screen). */
export const VENDOR_NAMES: Record<VendorId, string> = {
  tencent: 'Tencent Cloud OCR',
  wechat: 'WeChat',
  alioss: 'Alibaba Cloud OSS',
};

/**
 * The keychain as the settings screen sees it. When there is no keychain (no D-Bus session,
 * no Secret Service), `available` is false, every vendor reads as not configured and `error`
 * says what to do (code KEYCHAIN_UNAVAILABLE).
 */
export interface KeychainStatus {
  available: boolean;
  error: { code: 'KEYCHAIN_UNAVAILABLE'; message: string } | null;
  vendors: CredentialStatus[];
}
