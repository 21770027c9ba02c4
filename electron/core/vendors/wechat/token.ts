/**
 * The access_token cache, for WeChat's stable token (POST /cgi-bin/stable_token). In normal
 * mode every holder of the AppID gets the same token and nobody's token is replaced, so the
 * app, the CLI, a "Test connection" and the company's own backend coexist. Forced refreshes
 * invalidate the token for everyone else (and WeChat allows 20 a day), so this cache forces one
 * only when a token it holds was refused and a normal fetch hands back that same token.
 *
 * One token for the whole process, one fetch in flight at a time shared by every caller,
 * refreshed a margin before `expires_in` runs out.
 */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export type FetchToken = (forceRefresh: boolean) => Promise<IssuedToken>;

export class AccessTokenCache {
  private current: { token: string; refreshAt: number } | null = null;
  private inFlight: Promise<string> | null = null;
  /** Fetches performed, and how many of them forced a refresh (tests and diagnostics). */
  fetches = 0;
  forcedFetches = 0;

  constructor(
    private readonly fetchToken: FetchToken,
    private readonly options: { marginMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The cached token, or a normal-mode fetch (shared with concurrent callers). */
  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.token;
    return this.fetchShared(async () => this.fetch(false));
  }

  /**
   * A token to use after `rejected` was refused by an API (40001/42001...). If another caller
   * already replaced it, that one; else a normal fetch (WeChat renews an expiring token itself,
   * and another holder may have forced a new one); only when that hands back the refused token
   * again, a forced refresh.
   */
  async replace(rejected: string): Promise<string> {
    if (this.current && this.current.token !== rejected && this.now() < this.current.refreshAt) return this.current.token;
    return this.fetchShared(async () => {
      const normal = await this.fetch(false);
      return normal === rejected ? this.fetch(true) : normal;
    });
  }

  private fetchShared(run: () => Promise<string>): Promise<string> {
    if (!this.inFlight) {
      this.inFlight = run().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  private async fetch(force: boolean): Promise<string> {
    this.fetches++;
    if (force) this.forcedFetches++;
    const issued = await this.fetchToken(force);
    // Refresh 5 minutes early (or at half-life for short tokens): a call that starts just
    // before expiry must not carry a token that dies on the way. WeChat renews a stable token
    // in its last 5 minutes, so a normal fetch then gets the next one.
    const lifeMs = issued.expiresInSeconds * 1000;
    const margin = Math.min(this.options.marginMs ?? 5 * 60_000, lifeMs / 2);
    this.current = { token: issued.token, refreshAt: this.now() + lifeMs - margin };
    return issued.token;
  }

  clear(): void {
    this.current = null;
  }

  /** The cached token (for scrubbing it from messages), if any. */
  peek(): string | null {
    return this.current?.token ?? null;
  }
}
