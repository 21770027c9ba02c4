import type { Agent as HttpAgent } from 'node:http';
import type { Agent as HttpsAgent } from 'node:https';
import type { LookupFunction } from 'node:net';
import { nodeHttp, nodeHttps } from './node-modules';

/**
 * An agent whose DNS answers one fixed address for every name. It lets an unmodified vendor SDK
 * keep the vendor's real host name (which it signs and sends as Host) while the connection goes
 * to a local emulator or a pinned address. Never used unless a caller asks for it.
 */
export function pinnedAgent(address: string, protocol: 'http:' | 'https:' = 'http:'): HttpAgent | HttpsAgent {
  const family = address.includes(':') ? 6 : 4;
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if (options.all) {
      (callback as unknown as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [{ address, family }]);
    } else callback(null, address, family);
  };
  return protocol === 'https:' ? new (nodeHttps().Agent)({ keepAlive: true, lookup }) : new (nodeHttp().Agent)({ keepAlive: true, lookup });
}
