import type { prepare } from './prepare';

/**
 * imaging's prepare(), loaded on first use. Vendor engines fall back to it when no prepare pool
 * is given; importing prepare.ts itself would load sharp (and libvips) into every command and
 * the app's main thread at start-up, though the registry always hands them the pool's.
 */
export const prepareOnDemand: typeof prepare = async (...args) => (await import('./prepare')).prepare(...args);
