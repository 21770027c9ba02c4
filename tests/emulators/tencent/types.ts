/** Configuration and observable state of the Tencent Cloud OCR emulator (see README.md). */

export type CardSide = 'FRONT' | 'BACK';

/**
 * A card the emulator recognises. An image is "this card" when it contains a QR code whose text
 * is `marker` (the emulator decodes every IDCardOCR image for that), so tests can build a card
 * from any real QR sample; everything else is answered FailedOperation.ImageNoIdCard.
 */
export interface CardFixture {
  marker: string;
  side: CardSide;
  /** Front: Name, Sex, Nation, Birth, Address, IdNum. Back: Authority, ValidDate. */
  fields: Record<string, string>;
  /**
   * Fields as read with EnableRecognitionRectify false (IdNum, Birth and Sex as printed, not
   * made consistent); the rest come from `fields`.
   */
  unrectifiedFields?: Record<string, string>;
  /**
   * WarnInfos codes this card triggers when the matching Config flag is on (-9101...-9111;
   * -9110 and -9111 with DetectPsWarn and CardWarnType Advanced only).
   */
  warnings?: number[];
  quality?: number;
  borderCodeValue?: number;
  /** Where the card is in the image, as fractions of its width and height (default: all of it). */
  cardBox?: { left: number; top: number; width: number; height: number };
  /** Glare spots (ReflectDetailInfos[].Position) reported with ReflectWarn + EnableReflectDetail. */
  reflections?: Array<'Portrait' | 'NationalEmblem' | 'RecognitionField' | 'Others'>;
}

export interface ProductRecord {
  ProductName: string;
  EnName?: string;
  BrandName?: string;
  Type?: string;
  Width?: string;
  Height?: string;
  Depth?: string;
  KeyWord?: string;
  Description?: string;
  ImageLink?: string[];
  ManufacturerName?: string;
  ManufacturerAddress?: string;
  FirmCode?: string;
  CheckResult?: string;
  CategoryCode?: string;
}

/** A fault the emulator injects instead of (or, for 'hang', without) answering. */
export type Fault =
  | { kind: 'http'; status: number } // e.g. 502, 503: the SDK raises on any non-200
  | { kind: 'hang' } // accept and never answer (until the client gives up or the server closes)
  | { kind: 'error'; code: string; message?: string }; // HTTP 200 with Response.Error

export interface EmulatorOptions {
  /** SecretId -> SecretKey. */
  accounts: Record<string, string>;
  /**
   * Temporary keys (as STS issues them): SecretId -> its SecretKey, session token and expiry
   * (ms since the epoch). A request with such a SecretId must carry X-TC-Token equal to the
   * token, before the expiry; else AuthFailure.TokenFailure.
   */
  temporary?: Record<string, { secretKey: string; token: string; expiresAt: number }>;
  /** Requests per second per action and SecretId (token bucket, burst = rate). */
  rateLimits?: Partial<Record<string, number>>;
  /**
   * Every answer (errors included) leaves this long after its request arrived, as over a real
   * service's round trip; the emulator's own work counts within it. Default 0.
   */
  latencyMs?: number;
  /** Base64 text limits per action, in bytes. Defaults: QrcodeOCR 3 MiB, IDCardOCR 10 MiB. */
  maxBase64?: Partial<Record<string, number>>;
  /** Longest image side accepted before FailedOperation.ImageSizeTooLarge. Default 10000. */
  maxSide?: number;
  /**
   * QrcodeOCR decodes a copy no larger than this (longest side) and answers ImgSize and
   * corners in its pixels, as the service may for large images. Default: the image as sent.
   */
  workingMaxSide?: number;
  /** Allowed clock difference, seconds. Default 300 (Tencent's 5 minutes). */
  maxSkewSeconds?: number;
  cards?: CardFixture[];
  /** QueryBarCode: product data by GTIN, or the answer a real account gets since 2023-06. */
  queryBarCode?: { mode: 'offline' } | { mode: 'invalid-action' } | { mode: 'online'; products: Record<string, ProductRecord> };
  /** A fraction p of requests (after auth) fail at random with one of `kinds`, seeded. */
  randomFaults?: { p: number; seed: number; kinds: Fault[] };
  /** Pretend the account ran out of money or quota: every request gets this code. */
  quotaError?: string | null;
}

export interface EmulatorStats {
  /** Every request that reached the handler, by action. */
  requests: Record<string, number>;
  /** Successful answers, by action. */
  ok: Record<string, number>;
  /** Error codes answered (Response.Error.Code, 'HTTP <status>', 'hang'). */
  errors: Record<string, number>;
  /** Wall-clock ms (performance.now) when each request arrived. */
  arrivals: number[];
  /** Sum of ImageBase64 lengths received. */
  base64Bytes: number;
  /** The X-TC-Token of every request signed with temporary keys ('' when it had none). */
  tokens: string[];
  /** The last request's parameters (ImageBase64 left out) and X-TC-Region, by action. */
  lastParams: Record<string, Record<string, unknown>>;
  lastRegion: Record<string, string | undefined>;
}
