import { ScanError } from '../../errors';
import type { ErrorCode } from '../../../../shared/errors';

export const TENCENT = 'Tencent Cloud OCR';

/** A vendor answer that means "looked, found nothing": success with no detections. */
export const NOTHING_FOUND = new Set(['FailedOperation.ImageNoText', 'FailedOperation.ImageNoIdCard']);

interface Rule {
  code: ErrorCode;
  why: string;
  retryAfterMs?: number;
}

/** Every code the seeds and the API 3.0 common error list document, with what it means for us. */
const EXACT: Record<string, Rule> = {
  'AuthFailure.SecretIdNotFound': { code: 'VENDOR_AUTH', why: 'the SecretId does not exist. Check the Tencent Cloud credentials in Settings' },
  'AuthFailure.SignatureFailure': { code: 'VENDOR_AUTH', why: 'the signature did not match. Check the SecretKey in Settings' },
  'AuthFailure.SignatureExpire': {
    code: 'VENDOR_AUTH',
    why: "the request time is more than 5 minutes off. Check this computer's clock",
  },
  'AuthFailure.UnauthorizedOperation': { code: 'VENDOR_AUTH', why: 'this key is not allowed to use OCR (CAM policy)' },
  'AuthFailure.InvalidSecretId': { code: 'VENDOR_AUTH', why: 'the SecretId is not valid. Check the Tencent Cloud credentials in Settings' },
  'AuthFailure.SecretIdDisabled': { code: 'VENDOR_AUTH', why: 'the key has been disabled' },
  'AuthFailure.TokenFailure': {
    code: 'VENDOR_AUTH',
    why: 'the session token of the temporary keys was refused (wrong, or the keys expired). Get new temporary keys (STS) and enter them in Settings',
  },
  'FailedOperation.UnOpenError': { code: 'VENDOR_AUTH', why: 'the OCR service is not activated for this account' },
  RequestLimitExceeded: { code: 'VENDOR_RATE_LIMIT', why: 'too many requests per second', retryAfterMs: 1000 },
  InternalError: { code: 'VENDOR_SERVER', why: 'the service had an internal error' },
  'FailedOperation.UnKnowError': { code: 'VENDOR_SERVER', why: 'the service reported an unknown error' },
  'FailedOperation.OcrFailed': { code: 'VENDOR_SERVER', why: 'recognition failed on the service side' },
  ServiceUnavailable: { code: 'VENDOR_SERVER', why: 'the service is temporarily unavailable' },
  'ResourcesSoldOut.ChargeStatusException': { code: 'VENDOR_QUOTA', why: 'the account billing status is abnormal (check the Tencent Cloud console)' },
  'ResourceUnavailable.InArrears': { code: 'VENDOR_QUOTA', why: 'the account is in arrears' },
  'ResourceUnavailable.ResourcePackageRunOut': { code: 'VENDOR_QUOTA', why: 'the account resource package is used up' },
  InvalidAction: { code: 'VENDOR_UNAVAILABLE', why: 'the service does not know this action' },
  ActionOffline: { code: 'VENDOR_UNAVAILABLE', why: 'this action has been taken offline' },
  NoSuchVersion: { code: 'VENDOR_UNAVAILABLE', why: 'the API version is not supported' },
  'FailedOperation.ImageDecodeFailed': { code: 'VENDOR_REJECTED', why: 'the service could not decode the image' },
  'InvalidParameter.EngineImageDecodeFailed': { code: 'VENDOR_REJECTED', why: 'the service could not decode the image' },
  'FailedOperation.EmptyImageError': { code: 'VENDOR_REJECTED', why: 'the image was empty' },
  'FailedOperation.DownLoadError': { code: 'VENDOR_REJECTED', why: 'the service could not download the image' },
  'FailedOperation.ImageBlur': { code: 'VENDOR_REJECTED', why: 'the image is too blurry' },
  'FailedOperation.ImageSizeTooLarge': { code: 'IMAGE_TOO_LARGE', why: 'the image dimensions are too large for the service' },
  'LimitExceeded.TooLargeFileError': { code: 'IMAGE_TOO_LARGE', why: 'the image file is too large for the service' },
  'FailedOperation.CardSideError': { code: 'VENDOR_REJECTED', why: 'the card side does not match the requested side (FRONT/BACK)' },
  'FailedOperation.IdCardInfoIllegal': { code: 'VENDOR_REJECTED', why: 'the ID card data is invalid or incomplete' },
  'FailedOperation.IdCardTooSmall': { code: 'VENDOR_REJECTED', why: 'the card is too small in the image (resolution too low)' },
  'FailedOperation.MultiCardError': { code: 'VENDOR_REJECTED', why: 'the image holds two or more cards of the same side' },
  'InvalidParameter.ConfigFormatError': { code: 'VENDOR_REJECTED', why: 'the IDCardOCR Config is not valid JSON' },
  'InvalidParameter.InvalidGTINError': { code: 'VENDOR_REJECTED', why: 'the barcode is not a valid GTIN' },
  'InvalidParameterValue.InvalidParameterValueLimit': { code: 'VENDOR_REJECTED', why: 'a parameter value is out of range' },
  UnsupportedRegion: { code: 'VENDOR_REJECTED', why: 'the action is not available in this region' },
};

/** Families, for codes the documents do not list one by one. */
const PREFIX: Array<[string, Rule]> = [
  ['AuthFailure', { code: 'VENDOR_AUTH', why: 'the credentials were refused' }],
  ['UnauthorizedOperation', { code: 'VENDOR_AUTH', why: 'this key is not allowed to do this' }],
  ['RequestLimitExceeded', { code: 'VENDOR_RATE_LIMIT', why: 'too many requests', retryAfterMs: 1000 }],
  ['InternalError', { code: 'VENDOR_SERVER', why: 'the service had an internal error' }],
  ['ResourcesSoldOut', { code: 'VENDOR_QUOTA', why: 'the account has no quota left' }],
  ['ResourceUnavailable', { code: 'VENDOR_QUOTA', why: 'the account cannot use this resource (billing or quota)' }],
  ['ResourceInsufficient', { code: 'VENDOR_QUOTA', why: 'the account has no quota left' }],
  ['UnsupportedOperation', { code: 'VENDOR_UNAVAILABLE', why: 'the operation is not supported' }],
  ['InvalidParameter', { code: 'VENDOR_REJECTED', why: 'a parameter was refused' }],
  ['MissingParameter', { code: 'VENDOR_REJECTED', why: 'a parameter is missing' }],
  ['LimitExceeded', { code: 'VENDOR_REJECTED', why: 'a limit was exceeded' }],
  ['FailedOperation', { code: 'VENDOR_REJECTED', why: 'the service could not process this image' }],
];

export function ruleFor(code: string): Rule {
  const exact = EXACT[code];
  if (exact) return exact;
  for (const [prefix, rule] of PREFIX) if (code === prefix || code.startsWith(prefix + '.')) return rule;
  return { code: 'VENDOR_REJECTED', why: 'the service refused the request' };
}

/**
 * Turns a Response.Error code into a ScanError. The vendor's own message is left out: it is in
 * Chinese, may echo request data, and the code plus RequestId is what Tencent support asks for.
 */
export function tencentError(action: string, code: string, requestId?: string): ScanError {
  const rule = ruleFor(code);
  const ref = requestId ? `, RequestId ${requestId}` : '';
  return new ScanError(rule.code, `${TENCENT} ${action}: ${rule.why} (${code}${ref}).`, {
    retryAfterMs: rule.retryAfterMs,
  });
}
