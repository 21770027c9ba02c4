import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import tencentcloud from 'tencentcloud-sdk-nodejs-ocr';
import { describe, expect, it } from 'vitest';
import { pinnedAgent } from '../../../electron/core/vendors/common';
import { parseTc3Authorization, tc3Sign } from '../../../electron/core/vendors/tencent/tc3-sign';

// The SDK's own signer, reached the way the OCR package reaches it (not a copy of it).
const requireFromOcr = createRequire(createRequire(import.meta.url).resolve('tencentcloud-sdk-nodejs-ocr'));
const SdkSign = (requireFromOcr('tencentcloud-sdk-nodejs-common/tencentcloud/common/sign.js') as {
  default: { sign3(args: Record<string, unknown>): string };
}).default;

const CVM = {
  secretId: 'AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE',
  secretKey: 'Gu5t9xGARNpq86cd98joQYCN3EXAMPLE',
  service: 'cvm',
  host: 'cvm.tencentcloudapi.com',
  timestamp: 1551113065,
  payload: '{"Limit": 1, "Filters": [{"Values": ["\\u672a\\u547d\\u540d"], "Name": "instance-name"}]}',
  contentType: 'application/json; charset=utf-8',
};

describe('TC3-HMAC-SHA256', () => {
  it("reproduces Tencent's published DescribeInstances example", () => {
    const s = tc3Sign(CVM);
    expect(s.signature).toBe('72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168');
    expect(s.date).toBe('2019-02-25');
    expect(s.authorization).toBe(
      'TC3-HMAC-SHA256 Credential=AKIDz8krbsJ5yKBZQpn74WFkmLPx3EXAMPLE/2019-02-25/cvm/tc3_request, SignedHeaders=content-type;host, Signature=72e494ea809ad7a8c8f7a4507b9bddcbaa8e581f516e8da2f66e2c5a96525168',
    );
  });

  it('agrees with the official SDK signer on the published inputs and on OCR requests', () => {
    const cases = [
      CVM,
      { ...CVM, service: 'ocr', host: 'ocr.tencentcloudapi.com', payload: '{"ImageBase64":"iVBORw0KGgo="}', contentType: 'application/json' },
      // A date boundary (23:59:59 UTC) and non-ASCII in the body.
      { ...CVM, service: 'ocr', host: 'ocr.tencentcloudapi.com', timestamp: 1735689599, payload: '{"BarCode":"06941858722888","名":"测试"}' },
    ];
    for (const c of cases) {
      const sdk = SdkSign.sign3({
        method: 'POST',
        url: `https://${c.host}/`,
        payload: Buffer.from(c.payload, 'utf8'),
        timestamp: c.timestamp,
        service: c.service,
        secretId: c.secretId,
        secretKey: c.secretKey,
        multipart: false,
        headers: { 'Content-Type': c.contentType },
      });
      expect(tc3Sign(c).authorization).toBe(sdk);
    }
  });

  it('verifies what the SDK really sends over the wire (host signed without the port)', async () => {
    const seen: Array<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ Response: { RequestId: 'r1' } }));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const client = new tencentcloud.ocr.v20181119.Client({
        credential: { secretId: 'AKIDwire', secretKey: 'wire-secret-key' },
        region: 'ap-beijing',
        profile: { httpProfile: { endpoint: `ocr.tencentcloudapi.com:${port}`, protocol: 'http://', agent: pinnedAgent('127.0.0.1') } as never },
      });
      await client.request('QrcodeOCR', { ImageBase64: 'aGVsbG8=' });
      const { headers, body } = seen[0]!;
      const auth = parseTc3Authorization(String(headers.authorization));
      expect(auth?.service).toBe('ocr');
      expect(headers.host).toBe(`ocr.tencentcloudapi.com:${port}`);
      const input = {
        secretId: 'AKIDwire',
        secretKey: 'wire-secret-key',
        service: 'ocr',
        host: 'ocr.tencentcloudapi.com',
        timestamp: Number(headers['x-tc-timestamp']),
        payload: body,
        contentType: String(headers['content-type']),
      };
      expect(headers.authorization).toBe(tc3Sign(input).authorization);
      // A wrong key, or the host signed with its port, does not verify.
      expect(tc3Sign({ ...input, secretKey: 'other' }).signature).not.toBe(auth?.signature);
      expect(tc3Sign({ ...input, host: `ocr.tencentcloudapi.com:${port}` }).signature).not.toBe(auth?.signature);
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
  });

  it('rejects malformed Authorization headers', () => {
    expect(parseTc3Authorization(undefined)).toBeNull();
    expect(parseTc3Authorization('Bearer x')).toBeNull();
    expect(parseTc3Authorization('TC3-HMAC-SHA256 Credential=AK/2019-02-25/ocr/tc3_request, SignedHeaders=content-type;host, Signature=zz')).toBeNull();
  });
});
