/**
 * The process the streamed-intake test kills mid-expansion: opens the real service (local
 * engine, real intake in chunks of 5 pages) on a SQLite file, creates a batch from the PDF
 * given, and prints READY <batch id> <pages so far>. After its first chunk, intake never goes
 * on (as if the app stopped while reading a long file), until the process is killed.
 * Usage: node --import tsx intake-child.ts <dbPath> <pdf>
 */
import { LocalEngine } from '../../../electron/core/engines/local';
import { expandPathsInChunks } from '../../../electron/core/intake';
import { openScanService } from '../../../electron/core/service';

const [dbPath, pdf] = process.argv.slice(2) as [string, string];
const svc = await openScanService({
  dbPath,
  engines: [new LocalEngine({ size: 1 })],
  intakeChunks: async function* (paths, signal) {
    let n = 0;
    for await (const chunk of expandPathsInChunks(paths, { signal, chunk: 5 })) {
      if (n++ === 1) await new Promise(() => {}); // stuck here until killed
      yield chunk;
    }
  },
});
const { batch } = await svc.createBatch({ paths: [pdf], name: 'killed mid-expansion', plan: { engine: 'local', task: 'codes' } });
process.stdout.write(`READY ${batch.id} ${batch.counts.total}\n`);
