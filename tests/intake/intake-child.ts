// Runs intake in its own process so a test can run it as an unprivileged user (see
// unreadable.test.ts): prints the IntakeResult as JSON.
import { expandPaths } from '../../electron/core/intake';

const result = await expandPaths(process.argv.slice(2));
process.stdout.write(JSON.stringify({ uid: process.getuid?.(), result }));
