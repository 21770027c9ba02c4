/**
 * The process the SIGKILL test kills: opens the real service (default engine and intake) on a SQLite file, creates the batch
 * on its first run (later runs find it and resume), and prints READY, then SETTLED when done.
 * Usage: node --import tsx sigkill-child.ts <dbPath> <listFile>
 */
import { readFileSync } from 'node:fs';
import { openScanService } from '../../../electron/core/service';

const [dbPath, listFile] = process.argv.slice(2) as [string, string];
const paths = readFileSync(listFile, 'utf8').split('\n').filter(Boolean);

// The defaults, as the app and the CLI get them: LocalEngine, expandPaths, writeExport.
const svc = await openScanService({ dbPath, leaseMs: 3000 });
let batch = (await svc.listBatches())[0];
if (!batch) batch = (await svc.createBatch({ paths, name: 'sigkill', plan: { engine: 'local', task: 'codes' } })).batch;
process.stdout.write(`READY ${batch.id} done=${batch.counts.done}\n`);
svc.on('progress', (p) => process.stdout.write(`PROGRESS done=${p.counts.done}\n`));
const settled = await svc.whenSettled(batch.id);
process.stdout.write(`SETTLED ${settled.status} done=${settled.counts.done} failed=${settled.counts.failed}\n`);
await svc.close();
