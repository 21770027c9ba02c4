import OSS from 'ali-oss';
import { afterEach, describe, expect, it } from 'vitest';
import { AliOssClient } from '../../../electron/core/vendors/alioss/client';
import { AliOssEngine } from '../../../electron/core/vendors/alioss/engine';
import { startOssEmulator, type OssEmulator, type OssEmulatorOptions, type OssKey } from '../../emulators/alioss/server';
import { failure as caught } from '../../support/scan-error';
import { SAMPLES, staticCredentials } from '../wechat/helpers';
import { PageFactory } from '../wechat/pages';

/**
 * OSS as organisations hand out keys: a least-privilege RAM user gets what a batch needs on
 * ScanDesk's prefix (put, image/codes, delete) and not GetBucketInfo, so "Test connection"
 * checks exactly that; a refusal names the permission that is missing; a bucket in another
 * region than the one set answers AccessDenied with an <Endpoint> hint, which ScanDesk turns
 * into "wrong region: set it to ...".
 */
const MAIN = { accessKeyId: 'LTAI5tQx7ScanDeskTest01', accessKeySecret: 'k8Jf2VnQ9pL3xR7tY1wZ5bC0dE4gH6mN' };
const RAM_ID = 'LTAI5tRamUserScanDesk02';
const BUCKET = 'scandesk-test';
const BATCH_NEEDS = ['oss:PutObject', 'oss:GetObject', 'oss:DeleteObject', 'oss:ProcessImm', 'imm:DetectImageCodes'] as const;

let emu: OssEmulator | null = null;
const pages = new PageFactory();
afterEach(async () => {
  await emu?.close();
  emu = null;
});

async function withRamUser(key: Omit<OssKey, 'accessKeySecret'>, options: Partial<OssEmulatorOptions> = {}) {
  emu = await startOssEmulator({
    bucket: BUCKET,
    region: 'cn-hangzhou',
    ...MAIN,
    keys: { [RAM_ID]: { accessKeySecret: 'ramUserSecretValue0123456789ab', ...key } },
    ...options,
  });
  const credentials = staticCredentials({ alioss: { accessKeyId: RAM_ID, accessKeySecret: 'ramUserSecretValue0123456789ab' } });
  const client = new AliOssClient({ credentials, region: 'cn-hangzhou', bucket: BUCKET, endpoint: emu.endpoint, retry: { maxAttempts: 1 } });
  return { emu, client, credentials };
}

describe('OSS "Test connection" with a least-privilege RAM user', () => {
  it('passes with exactly what a batch needs on the prefix, without GetBucketInfo', async () => {
    const { emu, client } = await withRamUser({ allow: BATCH_NEEDS, prefix: 'scandesk-tmp/' });
    await client.testConnection();
    expect(emu.log.map((l) => [l.op, l.status])).toEqual([
      ['PutObject', 200],
      ['ProcessImage', 200],
      ['DeleteObject', 204],
    ]);
    // GetBucketInfo is indeed refused to this key: a test built on it would have failed.
    const oss = new OSS({
      region: 'oss-cn-hangzhou',
      bucket: BUCKET,
      endpoint: emu.endpoint,
      accessKeyId: RAM_ID,
      accessKeySecret: 'ramUserSecretValue0123456789ab',
      authorizationV4: true,
    } as OSS.Options & { authorizationV4: boolean });
    await expect(oss.getBucketInfo(BUCKET)).rejects.toMatchObject({ code: 'AccessDenied' });
  });

  it.each([
    ['oss:PutObject', /denied PutObject on bucket "scandesk-test": the RAM user needs oss:PutObject on scandesk-test\/scandesk-tmp\/\*/],
    ['imm:DetectImageCodes', /denied ProcessImage .* needs oss:GetObject, oss:ProcessImm and imm:DetectImageCodes/],
    ['oss:DeleteObject', /denied DeleteObject .* needs oss:DeleteObject/],
  ])('without %s it fails and names the permission', async (missing, message) => {
    const { client, emu } = await withRamUser({ allow: BATCH_NEEDS.filter((a) => a !== missing) });
    const err = await caught(client.testConnection());
    expect(err).toMatchObject({ code: 'VENDOR_AUTH' });
    expect(err.message).toMatch(message);
    // Whatever step failed, nothing it uploaded is left behind (except when delete itself is refused).
    if (missing !== 'oss:DeleteObject') expect(emu.objects.size).toBe(0);
  });

  it('a key limited to another prefix is refused the upload, named with the prefix it needs', async () => {
    const { client } = await withRamUser({ allow: BATCH_NEEDS, prefix: 'other-team/' });
    const err = await caught(client.testConnection());
    expect(err.message).toMatch(/needs oss:PutObject on scandesk-test\/scandesk-tmp\/\*/);
  });
});

describe('a bucket in another region: AccessDenied with an <Endpoint> hint', () => {
  it('the connection test says the region is wrong and which one is right', async () => {
    emu = await startOssEmulator({ bucket: BUCKET, region: 'cn-hangzhou', bucketRegion: 'cn-shanghai', ...MAIN });
    const client = new AliOssClient({ credentials: staticCredentials({ alioss: MAIN }), region: 'cn-hangzhou', bucket: BUCKET, endpoint: emu.endpoint, retry: { maxAttempts: 1 } });
    const err = await caught(client.testConnection());
    expect(err).toMatchObject({ code: 'VENDOR_REJECTED', errorClass: 'stop-engine' });
    expect(err.message).toMatch(/Bucket "scandesk-test" is not in region cn-hangzhou: OSS says to use oss-cn-shanghai\.aliyuncs\.com, so set the region to cn-shanghai/);
  });

  it('a batch page stops the engine with the same message (not a permissions lecture)', async () => {
    emu = await startOssEmulator({ bucket: BUCKET, region: 'cn-hangzhou', bucketRegion: 'cn-shanghai', ...MAIN });
    const engine = new AliOssEngine({ credentials: staticCredentials({ alioss: MAIN }), region: 'cn-hangzhou', bucket: BUCKET, endpoint: emu.endpoint, retry: { maxAttempts: 1 } });
    const err = await caught(engine.recognize(pages.fromFile(`${SAMPLES}/zxing/qrcode-2/1.png`)));
    expect(err).toMatchObject({ errorClass: 'stop-engine' });
    expect(err.message).toMatch(/set the region to cn-shanghai/);
    expect(err.message).not.toMatch(/RAM user/);
  });
});
