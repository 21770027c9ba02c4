/**
 * The fetching half of the grid's block cache, for one query (one batch, filter and search):
 * at most one request per block at a time, answers applied in the order they were asked for,
 * and a refresh that arrives while its block is on the way (a progress event, an undo, a
 * verdict) fetches that block once more when the answer lands, since that answer may predate
 * the change. A new query gets a new fetcher and closes the old one: the old one's answers are
 * dropped and its bookkeeping is its own, so it can never clear the new one's "in flight" or
 * "fetch again" marks (which let an answer from before an undo land last and stay shown).
 */
export class BlockFetcher<T> {
  private readonly inflight = new Set<number>();
  private readonly stale = new Set<number>();
  private closed = false;

  constructor(
    private readonly load: (block: number) => Promise<T>,
    private readonly onAnswer: (block: number, answer: T) => void,
    private readonly onError: (e: unknown) => void,
  ) {}

  /** Fetches `block` unless it is already on the way; `fresh`: what is on the way may be out of date. */
  async fetch(block: number, fresh = false): Promise<void> {
    if (this.closed) return;
    if (this.inflight.has(block)) {
      if (fresh) this.stale.add(block);
      return;
    }
    this.inflight.add(block);
    try {
      const answer = await this.load(block);
      if (!this.closed) this.onAnswer(block, answer);
    } catch (e) {
      if (!this.closed) this.onError(e);
    } finally {
      this.inflight.delete(block);
      if (this.stale.delete(block)) void this.fetch(block);
    }
  }

  /** The query changed or the view went away: nothing more is asked for or applied. */
  close(): void {
    this.closed = true;
  }
}
