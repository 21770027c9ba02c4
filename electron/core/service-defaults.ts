import type { Engine } from './engines/engine';
import { createEngineRegistry, profileEngines } from './engines/registry';
import { writeExport } from './export';
import type { ExportFormat, ExportOptions, ExportOutcome, ExportSource } from './export/types';
import { expandPaths, expandPathsInChunks } from './intake';
import type { IntakeResult } from './intake/types';
import { defaultVendorSettings } from './settings/schema';

/**
 * The parts the service uses unless told otherwise: intake's expandPaths, the local engine and
 * the export writer. Kept apart so the service can be opened with other ones in tests.
 */
export type WriteExport = (
  format: ExportFormat,
  path: string,
  source: ExportSource,
  options?: ExportOptions,
) => Promise<ExportOutcome>;

/**
 * The local engine and the three cloud vendors (engines/registry.ts), with the vendor settings
 * kept beside the database (settings/store.ts) and credentials from the OS keychain, loaded on
 * first use. Callers that need to change settings or credentials at run time (the desktop app)
 * call profileEngines(dbPath) themselves and pass `registry.engines` to openScanService.
 */
export async function defaultEngines(options: { dbPath?: string } = {}): Promise<Engine[]> {
  if (options.dbPath) return profileEngines(options.dbPath).registry.engines;
  return createEngineRegistry({ settings: () => defaultVendorSettings() }).engines;
}

export function defaultIntake(paths: string[]): Promise<IntakeResult> {
  return expandPaths(paths);
}

export function defaultIntakeChunks(paths: string[], signal: AbortSignal): AsyncIterable<IntakeResult> {
  return expandPathsInChunks(paths, { signal });
}

export const defaultWriteExport: WriteExport | undefined = writeExport;
