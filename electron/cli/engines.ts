import type { EnginePlan } from '../../shared/engines';
import type { Engine } from '../core/engines/engine';
import { LocalEngine } from '../core/engines/local';

/**
 * The engines a CLI run needs, built here so --jobs sizes the local engine's pool of decoder
 * threads. Vendor engines (tencent, wechat, alioss) are not wired into the CLI yet.
 */
export async function createEngines(_plan: EnginePlan, jobs: number): Promise<Engine[]> {
  return [new LocalEngine({ size: jobs })];
}
