import type { Engine } from './engines/engine';
import { LocalEngine } from './engines/local';
import { writeExport } from './export';
import type { ExportFormat, ExportOptions, ExportSource } from './export/types';
import { expandPaths } from './intake';
import type { IntakeResult } from './intake/types';

/**
 * The parts the service uses unless told otherwise: intake's expandPaths, the local engine and
 * the export writer. Kept apart so the service can be opened with other ones in tests.
 */
export type WriteExport = (
  format: ExportFormat,
  path: string,
  source: ExportSource,
  options?: ExportOptions,
) => Promise<{ path: string; rows: number }>;

export async function defaultEngines(): Promise<Engine[]> {
  return [new LocalEngine()];
}

export function defaultIntake(paths: string[]): Promise<IntakeResult> {
  return expandPaths(paths);
}

export const defaultWriteExport: WriteExport | undefined = writeExport;
