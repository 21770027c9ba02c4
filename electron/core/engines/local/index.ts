/**
 * The local engine: offline decoding of every barcode and 2-D code on a page.
 *
 * Use: `const engine = new LocalEngine()` (a pool of os.availableParallelism() worker threads,
 * started lazily on the first page), `engine.recognize({source, task: 'codes'})`, and
 * `engine.close()` at shutdown (terminates the workers).
 *
 * The worker runs from sources under vitest and `node --import tsx` (the shared WorkerPool,
 * electron/core/workers, registers tsx in the thread) and, bundled, as the separate main-bundle entry
 * LOCAL_WORKER_ENTRY built to LOCAL_WORKER_BUNDLE_NAME next to the bundle (electron.vite.config.ts).
 * Options: `workerUrl` to point at another worker file, `config.{zxing,zbar}WasmPath` where
 * the wasm binaries are not resolvable from node_modules (e.g. a packaged app that unpacks them).
 */
export { LocalEngine, type LocalEngineOptions } from './engine';
export { DecodePool, LOCAL_WORKER_BUNDLE_NAME, LOCAL_WORKER_ENTRY, defaultWorkerUrl, type PoolOptions } from './pool';
export { DEFAULT_PLAN } from './plan';
