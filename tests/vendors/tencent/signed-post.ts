import { tc3Sign } from '../../../electron/core/vendors/tencent/tc3-sign';
import type { TencentEmulator } from '../../emulators/tencent/server';
import { SECRET_ID, SECRET_KEY } from './constants';

export interface TcResponse {
  RequestId: string;
  Error?: { Code: string; Message: string };
  CodeResults?: Array<{ TypeName: string; Url: string; Position: Record<string, { X: number; Y: number }> }>;
  ImgSize?: { Wide: number; High: number };
  ProductDataRecords?: Array<{ ProductName: string }>;
  [field: string]: unknown;
}

/** A request signed by hand, so the test controls every field the SDK would not let it. */
export async function post(
  emu: TencentEmulator,
  action: string,
  params: Record<string, unknown>,
  o: { secretId?: string; secretKey?: string; timestamp?: number; region?: string | null; token?: string } = {},
): Promise<TcResponse> {
  const body = JSON.stringify(params);
  const timestamp = o.timestamp ?? Math.floor(Date.now() / 1000);
  const auth = tc3Sign({
    secretId: o.secretId ?? SECRET_ID,
    secretKey: o.secretKey ?? SECRET_KEY,
    service: 'ocr',
    host: 'ocr.tencentcloudapi.com',
    timestamp,
    payload: body,
    contentType: 'application/json; charset=utf-8',
  });
  const headers: Record<string, string> = {
    Host: emu.endpoint,
    'Content-Type': 'application/json; charset=utf-8',
    'X-TC-Action': action,
    'X-TC-Version': '2018-11-19',
    'X-TC-Timestamp': String(timestamp),
    Authorization: auth.authorization,
  };
  if (o.region !== null) headers['X-TC-Region'] = o.region ?? 'ap-guangzhou';
  if (o.token !== undefined) headers['X-TC-Token'] = o.token;
  // undici refuses a custom Host header; node:http does not.
  const { request } = await import('node:http');
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: emu.port, method: 'POST', path: '/', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve((JSON.parse(Buffer.concat(chunks).toString('utf8')) as { Response: TcResponse }).Response));
    });
    req.on('error', reject);
    req.end(body);
  });
}

