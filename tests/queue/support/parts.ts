import type { Engine } from '../../../electron/core/engines/engine';
import { LocalEngine } from '../../../electron/core/engines/local';

/**
 * The real parts the queue runs with: the LocalEngine and intake's expandPaths. One LocalEngine
 * (its worker threads) per test file, shared by the services and wrappers of that file, closed
 * by closeRealEngines.
 */
let shared: LocalEngine | null = null;

export function realEngine(): Engine {
  shared ??= new LocalEngine();
  return shared;
}

export async function closeRealEngines(): Promise<void> {
  const e = shared;
  shared = null;
  await e?.close();
}

export { expandPaths as realIntake } from '../../../electron/core/intake';
