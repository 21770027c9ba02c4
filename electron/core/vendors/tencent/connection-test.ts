import sharp from 'sharp';
import { registerConnectionTest, type ConnectionTester } from '../../credentials/connection-test';
import { ScanError } from '../../errors';
import { tencentEndpoint } from '../../settings/endpoints';
import { redact } from '../common';
import { TencentSdkTransport } from './sdk-client';

let blank: Promise<string> | null = null;

/** A small white PNG: nothing to find, so the service answers after checking the signature. */
function blankPng(): Promise<string> {
  blank ??= sharp({ create: { width: 64, height: 64, channels: 3, background: '#ffffff' } })
    .png()
    .toBuffer()
    .then((b) => b.toString('base64'));
  return blank;
}

/**
 * "Test the connection" for Tencent: one signed QrcodeOCR call on a blank image. It proves
 * the SecretId, the SecretKey, the region and that OCR is activated for the account; the
 * answer "no code found" counts as success (and is not a recognition the account pays for).
 * Settings: `endpoint` (URL, optional), `region`, `timeoutMs`.
 */
export const tencentConnectionTest: ConnectionTester = async (credentials, settings, signal) => {
  const transport = new TencentSdkTransport(
    credentials,
    tencentEndpoint(typeof settings.endpoint === 'string' ? settings.endpoint : undefined),
    settings.timeoutMs ?? 15_000,
  );
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
};

registerConnectionTest('tencent', tencentConnectionTest);
