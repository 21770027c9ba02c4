/**
 * The access_token cache. WeChat issues one token per AppID and every fetch replaces the
 * previous one (and counts against a daily limit), so: one token for the whole process, one
 * fetch in flight at a time shared by every caller, refreshed a margin before `expires_in`
 * runs out, and dropped when a call reports it invalid or expired — but only if it is still
 * the token that failed (a concurrent caller may already have replaced it).
 */
export interface IssuedToken {
  token: string;
  expiresInSeconds: number;
}

export class AccessTokenCache {
  private current: { token: string; refreshAt: number } | null = null;
  private inFlight: Promise<string> | null = null;
  /** Fetches performed (tests and diagnostics). */
  fetches = 0;

  constructor(
    private readonly fetchToken: () => Promise<IssuedToken>,
    private readonly options: { marginMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  async get(): Promise<string> {
    if (this.current && this.now() < this.current.refreshAt) return this.current.token;
    if (!this.inFlight) {
      this.inFlight = (async () => {
        try {
          this.fetches++;
          const issued = await this.fetchToken();
          // Refresh 5 minutes early (or at half-life for short tokens): a call that starts
          // just before expiry must not carry a token that dies on the way.
          const lifeMs = issued.expiresInSeconds * 1000;
          const margin = Math.min(this.options.marginMs ?? 5 * 60_000, lifeMs / 2);
          this.current = { token: issued.token, refreshAt: this.now() + lifeMs - margin };
          return issued.token;
        } finally {
          this.inFlight = null;
        }
      })();
    }
    return this.inFlight;
  }

  /** Forget `token` if it is still the cached one (it was reported invalid or expired). */
  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  clear(): void {
    this.current = null;
  }

  /** The cached token (for scrubbing it from messages), if any. */
  peek(): string | null {
    return this.current?.token ?? null;
  }
}
