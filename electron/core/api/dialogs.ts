import type { PathsDialogResult } from '../../../shared/contract';
import type { ExportFormat } from '../export/types';

/**
 * Native file dialogs, as the handler table needs them. Electron main implements them with
 * `dialog.*`; the browser host has none and answers `unavailable`, which tells the renderer to
 * offer a typed path instead.
 */
export interface DialogProvider {
  openFiles(): Promise<PathsDialogResult>;
  /** Folders to read (several at once), or with `single` the one folder ScanDesk is to watch or write into. */
  openFolder(options?: { single?: boolean; title?: string }): Promise<PathsDialogResult>;
  /**
   * The native save dialog, opened in `folder` with `defaultName`. The chosen path stays in the
   * main process: the handler table turns it into a one-time handle for the renderer.
   */
  saveExport(options: { format: ExportFormat; defaultName: string; folder: string }): Promise<NativeSaveResult>;
}

export type NativeSaveResult = { status: 'selected'; path: string } | { status: 'cancelled' } | { status: 'unavailable'; reason: string };

export const BROWSER_DIALOG_REASON =
  'Native file dialogs are not available in the browser. Type the absolute path of a file or folder on the machine running ScanDesk.';

export function unavailableDialogs(reason = BROWSER_DIALOG_REASON): DialogProvider {
  const answer = async () => ({ status: 'unavailable' as const, reason });
  return { openFiles: answer, openFolder: answer, saveExport: answer };
}
