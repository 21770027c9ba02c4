#!/usr/bin/env node
// The `scandesk` command. It runs the TypeScript sources directly through tsx (no build step):
// see electron/cli/main.ts for the commands and `scandesk --help` for usage.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../electron/cli/main.ts');
await run();
