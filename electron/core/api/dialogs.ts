import type { PathsDialogResult, SaveDialogResult } from '../../../shared/contract';
import type { ExportFormat } from '../export/types';

/**
 * Native file dialogs, as the handler table needs them. Electron main implements them with
 * `dialog.*`; the browser host has none and answers `unavailable`, which tells the renderer to
 * offer a typed path instead.
 */
export interface DialogProvider {
  openFiles(): Promise<PathsDialogResult>;
  openFolder(): Promise<PathsDialogResult>;
  saveExport(options: { format: ExportFormat; defaultName: string }): Promise<SaveDialogResult>;
}

export const BROWSER_DIALOG_REASON =
  'Native file dialogs are not available in the browser. Type the absolute path of a file or folder on the machine running ScanDesk.';

export function unavailableDialogs(reason = BROWSER_DIALOG_REASON): DialogProvider {
  const answer = async () => ({ status: 'unavailable' as const, reason });
  return { openFiles: answer, openFolder: answer, saveExport: answer };
}
