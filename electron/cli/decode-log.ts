import { appendFileSync } from 'node:fs';
import type { Engine } from '../core/engines/engine';

/**
 * Counts the pages this process decoded (for the summary's "decoded in this run"), and, with
 * SCANDESK_DECODE_LOG=<file>, appends each one to that file as `engine<TAB>path<TAB>page`,
 * synchronously so the line survives a kill: a way to check that resuming a batch does not
 * decode a page again.
 */
export interface DecodeCounter {
  count: number;
}

export function instrumentEngine(engine: Engine, counter: DecodeCounter, logFile: string | undefined): Engine {
  return {
    id: engine.id,
    tasks: engine.tasks,
    concurrency: engine.concurrency,
    async recognize(req) {
      const result = await engine.recognize(req);
      counter.count++;
      if (logFile) appendFileSync(logFile, `${engine.id}\t${req.source.path}\t${req.source.page}\n`);
      return result;
    },
    close: engine.close ? () => engine.close!() : undefined,
  };
}
