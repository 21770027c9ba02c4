import type { Agent, ClientRequest } from 'node:http';
import { isIP } from 'node:net';
import type * as ProxyAgentModule from 'https-proxy-agent';
import type { HttpsProxyAgent, HttpsProxyAgentOptions } from 'https-proxy-agent';
import { nodeHttp, nodeHttps, nodeRequire } from './node-modules';
import type { ProxyAuth, ProxyAuthLookup } from '../../credentials/proxy-auth';
import { ScanError } from '../../errors';
import { pinnedAgent } from './pinned-agent';

/**
 * How every vendor client reaches the network: directly, or through an HTTP proxy (CONNECT
 * tunnels, for https and plain http endpoints alike). The proxy is the organisation's:
 * - `system` (default): the process's HTTPS_PROXY / HTTP_PROXY (ALL_PROXY) and NO_PROXY
 *   variables, lower case too (on the desktop the shell fills them from the OS setting);
 * - `none`: always direct;
 * - an http(s) URL set in Settings (without a password: a proxy that needs one takes it from
 *   HTTPS_PROXY, which never reaches a file).
 * A pinned endpoint (an IP address standing for the vendor's host name, see
 * settings/endpoints.ts) goes through the proxy too: the tunnel is opened to that address while
 * TLS and the request keep the vendor's host name.
 */
export type ProxySetting = 'system' | 'none' | (string & {});

export interface Network {
  /**
   * The Node agent for requests to `target` (a URL or origin): a proxy tunnel, a pinned
   * address, or a plain direct agent. Always one, so no library falls back to a proxy of its
   * own choosing (Tencent's SDK reads http_proxy when it gets no agent).
   */
  agentFor(target: string | URL, options?: { pinTo?: string }): Agent;
  /** "through the proxy 10.0.0.5:3128", for messages; null when direct. Never holds a password. */
  describe(target: string | URL): string | null;
  /** Closes the agents made so far (their pooled connections). */
  close(): void;
}

/** The proxy URL for `target` under `setting` and `env`, or null for a direct connection. */
export function proxyFor(target: URL, setting: ProxySetting, env: NodeJS.ProcessEnv): URL | null {
  if (setting === 'none') return null;
  if (setting !== 'system') return new URL(setting);
  const pick = (...names: string[]) => names.map((n) => env[n]?.trim()).find((v) => !!v);
  const raw =
    target.protocol === 'https:' ? pick('HTTPS_PROXY', 'https_proxy', 'ALL_PROXY', 'all_proxy') : pick('HTTP_PROXY', 'http_proxy', 'ALL_PROXY', 'all_proxy');
  if (!raw) return null;
  // The machine's own loopback is never behind the system proxy (as Go's ProxyFromEnvironment
  // and Chromium decide): a proxy elsewhere cannot reach it, and an emulator or a local gateway
  // sits there. A proxy set in Settings is the user's explicit choice and applies to everything.
  if (isLoopback(target) || bypassed(target, pick('NO_PROXY', 'no_proxy') ?? '')) return null;
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
  } catch {
    throw new ScanError('INVALID_INPUT', 'The proxy in HTTPS_PROXY / HTTP_PROXY is not a URL (e.g. http://proxy.example.com:3128).');
  }
}

function isLoopback(target: URL): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (host === 'localhost' || host.endsWith('.localhost') || host === '::1') return true;
  return isIP(host) === 4 && host.startsWith('127.');
}

/** NO_PROXY as curl reads it: '*', host names (a leading dot or not: the name and its subdomains), host:port. */
function bypassed(target: URL, noProxy: string): boolean {
  const host = target.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const port = target.port || (target.protocol === 'https:' ? '443' : '80');
  for (const raw of noProxy.split(/[\s,]+/)) {
    const entry = raw.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    const [name, entryPort] = entry.replace(/^\./, '').split(/:(?=\d+$)/) as [string, string?];
    if (entryPort && entryPort !== port) continue;
    if (host === name || host.endsWith(`.${name}`)) return true;
  }
  return false;
}

/** Where a proxy is, for messages: host and port only (a URL may carry a password). */
export function proxyLabel(proxy: URL): string {
  return proxy.host;
}

/**
 * The network of one vendor client: agents per proxy and pin, made on first use, with a
 * proxy's refusal (CONNECT answered 403, 407...) turned into a clear error instead of the
 * proxy's own response standing in for the vendor's.
 */
export function createNetwork(setting: ProxySetting, env: NodeJS.ProcessEnv = process.env, auth?: ProxyAuthLookup): Network {
  const agents = new Map<string, Agent>();
  return {
    agentFor(target, options = {}) {
      const url = new URL(String(target));
      const proxy = proxyFor(url, setting, env);
      const key = `${proxy?.href ?? 'direct'} ${url.protocol} ${options.pinTo ?? ''}`;
      let agent = agents.get(key);
      if (!agent) {
        if (proxy) agent = new (vendorProxyAgent())(proxy, options.pinTo, proxy.username ? undefined : auth) as unknown as Agent;
        else if (options.pinTo) agent = pinnedAgent(options.pinTo, url.protocol === 'https:' ? 'https:' : 'http:') as Agent;
        else agent = url.protocol === 'https:' ? new (nodeHttps().Agent)({ keepAlive: true }) : new (nodeHttp().Agent)({ keepAlive: true });
        agents.set(key, agent);
      }
      return agent;
    },
    describe(target) {
      const proxy = proxyFor(new URL(String(target)), setting, env);
      return proxy ? `through the proxy ${proxyLabel(proxy)}` : null;
    },
    close() {
      for (const a of agents.values()) a.destroy();
      agents.clear();
    },
  };
}

/** Marks an error as the proxy's refusal (transportError turns it into a clear NETWORK message). */
export const PROXY_REFUSED = 'EPROXYREFUSED';

/**
 * https-proxy-agent, with three additions: a pinned endpoint opens its tunnel to the pinned
 * address (TLS and Host keep the vendor's name); a proxy that asks for a sign-in (407) gets the
 * one the keychain holds for that proxy, read once per agent and sent only after the challenge;
 * and a CONNECT the proxy refuses fails the request with PROXY_REFUSED and the proxy's status,
 * instead of replaying the proxy's answer as if the vendor had sent it. Made on the first proxied
 * request: https-proxy-agent loads node:http as an ES module, which costs every command start
 * about 0.1 CPU-s (Node then loads undici for http's fetch-era exports) when no vendor is used.
 */
function makeVendorProxyAgent(Base: typeof HttpsProxyAgent<string>) {
  return class VendorProxyAgent extends Base {
    private signIn: Promise<ProxyAuth | null> | null = null;

    constructor(
      proxy: URL,
      private readonly pinTo?: string,
      auth?: ProxyAuthLookup,
    ) {
      super(proxy.href, {
        keepAlive: true,
        ...(auth
          ? {
              onProxyAuth: async () => {
                this.signIn ??= auth(proxy.origin);
                const found = await this.signIn;
                if (!found) throw refusedError(407);
                return { headers: { 'Proxy-Authorization': `Basic ${Buffer.from(`${found.username}:${found.password}`).toString('base64')}` } };
              },
            }
          : {}),
      } as HttpsProxyAgentOptions<string>);
    }

    override async connect(req: ClientRequest, opts: Parameters<HttpsProxyAgent<string>['connect']>[1]) {
      let status = 200;
      req.on('proxyConnect', (res: { statusCode: number }) => (status = res.statusCode));
      const given = opts as typeof opts & { servername?: string };
      const target = this.pinTo ? { ...opts, host: this.pinTo, servername: given.servername ?? (isIP(opts.host ?? '') ? undefined : opts.host) } : opts;
      let socket;
      try {
        socket = await super.connect(req, target);
      } catch (err) {
        // The sign-in was sent and refused again ("Proxy authentication failed with status 407 after retry").
        const again = /failed with status (\d{3}) after retry/.exec(String((err as Error)?.message ?? ''));
        if (again) throw refusedError(Number(again[1]));
        throw err;
      }
      if (status !== 200) {
        socket.destroy();
        throw refusedError(status);
      }
      return socket;
    }
  };
}

let VendorProxyAgent: ReturnType<typeof makeVendorProxyAgent> | null = null;

function vendorProxyAgent(): ReturnType<typeof makeVendorProxyAgent> {
  VendorProxyAgent ??= makeVendorProxyAgent((nodeRequire('https-proxy-agent') as typeof ProxyAgentModule).HttpsProxyAgent);
  return VendorProxyAgent;
}

function refusedError(status: number): Error {
  return Object.assign(new Error(`${PROXY_REFUSED}: the proxy answered HTTP ${status} to CONNECT`), { code: PROXY_REFUSED, proxyStatus: status });
}
