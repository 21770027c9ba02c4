import { useEffect, useState } from 'react';
import type { PathCheck, ScanDeskClient } from '../../../shared/contract';

/**
 * Each path of the new-batch dialog checked by the host once (paths.check): missing and
 * unreadable paths are known before a batch exists. Answers the checks known so far.
 */
export function usePathChecks(
  client: ScanDeskClient,
  paths: readonly string[],
  onError: (e: unknown) => void,
  /** "<path>\n<version>": that path is checked again whenever the version changes (files were added to it). */
  recheck: string | null = null,
): ReadonlyMap<string, PathCheck> {
  const [checks, setChecks] = useState<ReadonlyMap<string, PathCheck>>(new Map());
  const [lastRecheck, setLastRecheck] = useState<string | null>(null);
  if (recheck !== lastRecheck) {
    setLastRecheck(recheck);
    const path = recheck?.split('\n')[0];
    if (path && checks.has(path)) {
      const next = new Map(checks);
      next.delete(path);
      setChecks(next);
    }
  }
  const unchecked = paths.filter((p) => !checks.has(p));
  const key = unchecked.join('\n');
  useEffect(() => {
    if (key === '') return;
    let live = true;
    client
      .call('paths.check', { paths: key.split('\n') })
      .then((list) => {
        if (!live) return;
        setChecks((all) => {
          const next = new Map(all);
          for (const c of list) next.set(c.path, c);
          return next;
        });
      })
      .catch((e: unknown) => live && onError(e));
    return () => {
      live = false;
    };
  }, [client, key, onError]);
  return checks;
}

/** Why the batch cannot start yet, or null: a path that cannot be used, or nothing to read at all. */
export function startBlocker(paths: readonly string[], checks: ReadonlyMap<string, PathCheck>): 'checking' | 'fix' | 'noImages' | null {
  const list = paths.map((p) => checks.get(p));
  if (list.some((c) => !c)) return 'checking';
  if (list.some((c) => c!.error)) return 'fix';
  // A file not named like an image may still be one (intake reads its bytes): only refuse when
  // every path is a folder with no image in it.
  if (list.every((c) => c!.kind === 'folder' && c!.images === 0)) return 'noImages';
  return null;
}
