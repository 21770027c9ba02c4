export { LocalEngine, type LocalEngineOptions } from './engine';
export { DecodePool, LOCAL_WORKER_BUNDLE_NAME, LOCAL_WORKER_ENTRY, defaultWorkerUrl, type PoolOptions } from './pool';
export { DEFAULT_PLAN } from './plan';
