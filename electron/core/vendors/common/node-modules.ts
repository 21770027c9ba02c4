import type * as Http from 'node:http';
import type * as Https from 'node:https';
import { createRequire } from 'node:module';

/**
 * node:http and node:https for the vendor clients, through require rather than `import`: an
 * ES-module import of node:http makes Node build the module's ESM facade, which reads every
 * export, and some of them load undici (fetch's implementation). That is ~0.1 CPU-s at the start
 * of every command and app window, most of which never call a vendor (issue 10: a command that
 * starts like a command). require() hands back the module object without touching them.
 */
// Not named `require`: electron-vite adds its own module-level `require` to ESM chunks that
// call require(), and two declarations in one chunk fail to load ("already been declared").
export const nodeRequire = createRequire(import.meta.url);

export const nodeHttp = (): typeof Http => nodeRequire('node:http') as typeof Http;
export const nodeHttps = (): typeof Https => nodeRequire('node:https') as typeof Https;
