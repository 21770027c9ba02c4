import type { CredentialProvider } from '../../credentials/types';
import { ScanError } from '../../errors';
import { tencentEndpoint } from '../../settings/endpoints';
import { redact, type Network } from '../common';
import { TencentSdkTransport } from './sdk-client';

let blank: Promise<string> | null = null;

/** A small white PNG: nothing to find, so the service answers after checking the signature. */
function blankPng(): Promise<string> {
  // sharp loads here, on a connection test, not with every command.
  blank ??= import('sharp')
    .then(({ default: sharp }) => sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } }).png().toBuffer())
    .then((b) => b.toString('base64'));
  return blank;
}

/**
 * "Test the connection" for Tencent: one signed QrcodeOCR call on a blank image. It proves
 * the SecretId, the SecretKey, the region and that OCR is activated for the account; the
 * answer "no code found" counts as success (and is not a recognition the account pays for).
 */
export async function tencentConnectionTest(
  credentials: CredentialProvider,
  settings: { endpoint?: string; region?: string; timeoutMs?: number },
  signal?: AbortSignal,
  network?: Network,
): Promise<void> {
  const transport = new TencentSdkTransport(credentials, tencentEndpoint(settings.endpoint), settings.timeoutMs ?? 15_000, network);
  try {
    await transport.call('QrcodeOCR', { ImageBase64: await blankPng() }, { region: settings.region ?? 'ap-guangzhou', signal });
  } catch (err) {
    if (err instanceof ScanError) {
      const message = redact(err.message, transport.secrets());
      throw message === err.message ? err : new ScanError(err.code, message, { errorClass: err.errorClass });
    }
    throw err;
  } finally {
    transport.close();
  }
}
