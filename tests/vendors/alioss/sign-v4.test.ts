import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import {
  canonicalRequest,
  ossV4Timestamp,
  parseOssV4Authorization,
  signOssV4,
  type OssV4Request,
} from '../../../electron/core/vendors/alioss/sign-v4';

const require = createRequire(import.meta.url);
// ali-oss's own V4 signer, the code the client runs (same function its createRequest calls).
const aliSign = require('ali-oss/lib/common/signUtils') as {
  authorizationV4(
    ak: string,
    sk: string,
    region: string,
    method: string,
    request: { headers: Record<string, unknown>; queries?: Record<string, unknown> },
    bucket?: string,
    object?: string,
    additionalHeaders?: string[],
  ): string;
};

const VECTOR: OssV4Request = {
  method: 'PUT',
  bucket: 'bucket',
  key: '1234+-/123/1.txt',
  region: 'cn-hangzhou',
  headers: {
    'x-oss-head1': 'value',
    abc: 'value',
    ZAbc: 'value',
    XYZ: 'value',
    'content-type': 'text/plain',
    'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
    'x-oss-date': ossV4Timestamp(new Date(1702743657 * 1000)),
  },
  query: { param1: 'value1', '+param1': 'value3', '|param1': 'value4', '+param2': '', '|param2': '', param2: '' },
};

describe('OSS signature V4', () => {
  it("matches Alibaba's published vector (Go SDK v2 TestV4AuthHeader)", () => {
    const signed = signOssV4(VECTOR, { accessKeyId: 'ak', accessKeySecret: 'sk' });
    expect(signed.date).toBe('20231216T162057Z');
    expect(signed.canonicalRequest).toBe(
      'PUT\n/bucket/1234%2B-/123/1.txt\n' +
        '%2Bparam1=value3&%2Bparam2&%7Cparam1=value4&%7Cparam2&param1=value1&param2\n' +
        'content-type:text/plain\nx-oss-content-sha256:UNSIGNED-PAYLOAD\nx-oss-date:20231216T162057Z\nx-oss-head1:value\n\n\n' +
        'UNSIGNED-PAYLOAD',
    );
    expect(signed.authorization).toBe(
      'OSS4-HMAC-SHA256 Credential=ak/20231216/cn-hangzhou/oss/aliyun_v4_request,' +
        'Signature=e21d18daa82167720f9b1047ae7e7f1ce7cb77a31e8203a7d5f4624fa0284afe',
    );
  });

  it('agrees with the ali-oss signer on the vector and on the requests the engine sends', () => {
    const cases: Array<OssV4Request & { ak: string; sk: string }> = [
      { ...VECTOR, ak: 'ak', sk: 'sk' },
      { ...VECTOR, additionalHeaders: ['ZAbc', 'abc'], ak: 'ak', sk: 'sk' },
      {
        method: 'PUT',
        bucket: 'scandesk-bucket',
        key: 'scandesk-tmp/2026-11-21/9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08.jpg',
        region: 'cn-shanghai',
        headers: {
          'Content-Type': 'image/jpeg',
          'Content-MD5': '1B2M2Y8AsgTpgAmY7PhCfg==',
          'x-oss-date': '20261121T101500Z',
          'x-oss-content-sha256': 'UNSIGNED-PAYLOAD',
          'User-Agent': 'aliyun-sdk-nodejs/6.23.0',
        },
        query: {},
        ak: 'LTAI5tExampleAccessKey01',
        sk: 'ExampleAccessKeySecretValue0123',
      },
      {
        method: 'GET',
        bucket: 'scandesk-bucket',
        key: 'scandesk-tmp/a b/ünï (1).png',
        region: 'cn-hangzhou',
        headers: { 'x-oss-date': '20261121T101500Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
        query: { 'x-oss-process': 'image/codes' },
        ak: 'LTAI5tExampleAccessKey01',
        sk: 'ExampleAccessKeySecretValue0123',
      },
      {
        method: 'GET',
        bucket: 'scandesk-bucket',
        region: 'cn-hangzhou',
        headers: { 'x-oss-date': '20261121T101500Z', 'x-oss-content-sha256': 'UNSIGNED-PAYLOAD' },
        query: { bucketInfo: null },
        ak: 'LTAI5tExampleAccessKey01',
        sk: 'ExampleAccessKeySecretValue0123',
      },
    ];
    for (const c of cases) {
      const mine = signOssV4(c, { accessKeyId: c.ak, accessKeySecret: c.sk }).authorization;
      const theirs = aliSign.authorizationV4(
        c.ak,
        c.sk,
        c.region,
        c.method,
        // ali-oss's request builder turns empty sub-resource values into null (bare key).
        { headers: c.headers, queries: Object.fromEntries(Object.entries(c.query ?? {}).map(([k, v]) => [k, v === '' ? null : v])) },
        c.bucket,
        c.key,
        c.additionalHeaders,
      );
      expect(mine).toBe(theirs);
    }
  });

  it('changes with every signed part, and parses back', () => {
    const base = signOssV4(VECTOR, { accessKeyId: 'ak', accessKeySecret: 'sk' }).signature;
    const variants: OssV4Request[] = [
      { ...VECTOR, method: 'GET' },
      { ...VECTOR, key: '1234+-/123/2.txt' },
      { ...VECTOR, region: 'cn-shanghai' },
      { ...VECTOR, headers: { ...VECTOR.headers, 'x-oss-head1': 'other' } },
      { ...VECTOR, query: { ...VECTOR.query, param1: 'value2' } },
    ];
    for (const v of variants) expect(signOssV4(v, { accessKeyId: 'ak', accessKeySecret: 'sk' }).signature).not.toBe(base);
    expect(signOssV4(VECTOR, { accessKeyId: 'ak', accessKeySecret: 'sk2' }).signature).not.toBe(base);
    // Headers outside content-*, x-oss-* and the additional list are not signed.
    expect(signOssV4({ ...VECTOR, headers: { ...VECTOR.headers, abc: 'changed' } }, { accessKeyId: 'ak', accessKeySecret: 'sk' }).signature).toBe(base);

    const parsed = parseOssV4Authorization(
      signOssV4({ ...VECTOR, additionalHeaders: ['abc'] }, { accessKeyId: 'ak', accessKeySecret: 'sk' }).authorization,
    );
    expect(parsed).toMatchObject({ accessKeyId: 'ak', day: '20231216', region: 'cn-hangzhou', product: 'oss', additionalHeaders: ['abc'] });
    expect(parseOssV4Authorization('OSS ak:abc')).toBeNull();
    expect(canonicalRequest({ ...VECTOR, query: { 'x-oss-process': 'image/codes' } })).toContain('\nx-oss-process=image%2Fcodes\n');
  });
});
