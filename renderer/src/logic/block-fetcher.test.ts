import { describe, expect, it } from 'vitest';
import { BlockFetcher } from './block-fetcher';

/** A load whose answers the test gives, one request at a time, in any order. */
function controlled() {
  const pending: Array<{ block: number; answer: (v: string) => void; fail: (e: unknown) => void }> = [];
  const load = (block: number) => new Promise<string>((answer, fail) => pending.push({ block, answer, fail }));
  return { pending, load };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

describe('BlockFetcher', () => {
  it('asks once for a block already on the way, and once more after it when a refresh came meanwhile', async () => {
    const { pending, load } = controlled();
    const shown = new Map<number, string>();
    const f = new BlockFetcher(load, (b, v: string) => shown.set(b, v), (e) => {
      throw e;
    });
    void f.fetch(0);
    void f.fetch(0); // the grid asking for the range again: nothing new
    expect(pending).toHaveLength(1);
    void f.fetch(0, true); // an undo lands while the first answer is on the way
    expect(pending).toHaveLength(1);
    pending.shift()!.answer('before the undo');
    await settle();
    expect(shown.get(0)).toBe('before the undo');
    expect(pending).toHaveLength(1); // fetched again: that answer may predate the undo
    pending.shift()!.answer('after the undo');
    await settle();
    expect(shown.get(0)).toBe('after the undo');
    expect(pending).toHaveLength(0);
  });

  it('a closed fetcher (an earlier query) neither applies its answer nor clears the new one\'s marks', async () => {
    const { pending, load } = controlled();
    const shown: string[] = [];
    const apply = (_b: number, v: string) => shown.push(v);
    const old = new BlockFetcher(load, apply, () => undefined);
    void old.fetch(0);
    old.close();
    const now = new BlockFetcher(load, apply, () => undefined);
    void now.fetch(0);
    expect(pending.map((p) => p.block)).toEqual([0, 0]);
    const [first, second] = [pending.shift()!, pending.shift()!];
    first.answer('old query'); // lands after the new query's request went out
    await settle();
    expect(shown).toEqual([]);
    // The new fetcher still knows its block is on the way: an undo now waits for that answer
    // and fetches again after it, rather than racing it with a second request whose answer
    // could land first and be overwritten by the older one.
    void now.fetch(0, true);
    expect(pending).toHaveLength(0);
    second.answer('new query, before the undo');
    await settle();
    expect(pending).toHaveLength(1);
    pending.shift()!.answer('new query, after the undo');
    await settle();
    expect(shown).toEqual(['new query, before the undo', 'new query, after the undo']);
  });

  it('reports a failed fetch and fetches the block again on the next request', async () => {
    const { pending, load } = controlled();
    const errors: unknown[] = [];
    const f = new BlockFetcher(load, () => undefined, (e) => errors.push(e));
    void f.fetch(3);
    pending.shift()!.fail(new Error('host gone'));
    await settle();
    expect(errors).toEqual([new Error('host gone')]);
    void f.fetch(3);
    expect(pending.map((p) => p.block)).toEqual([3]);
  });
});
