import { join } from 'node:path';
import { dialog, type BrowserWindow } from 'electron';
import type { DialogProvider } from '../core/api';

/** The handler table's dialogs, as native Electron dialogs attached to the main window. */
export function electronDialogs(getWindow: () => BrowserWindow | null): DialogProvider {
  const open = async (properties: Electron.OpenDialogOptions['properties'], filters?: Electron.FileFilter[], title?: string) => {
    const win = getWindow();
    const options: Electron.OpenDialogOptions = { properties, ...(filters ? { filters } : {}), ...(title ? { title } : {}) };
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled || r.filePaths.length === 0 ? { status: 'cancelled' as const } : { status: 'selected' as const, paths: r.filePaths };
  };
  return {
    openFiles: () =>
      open(
        ['openFile', 'multiSelections'],
        [
          { name: 'Images and PDFs', extensions: ['jpg', 'jpeg', 'png', 'webp', 'tif', 'tiff', 'bmp', 'gif', 'heic', 'heif', 'avif', 'pdf'] },
          { name: 'All files', extensions: ['*'] },
        ],
      ),
    // One folder to watch or write into may also be created from the dialog (macOS asks for it).
    openFolder: (o) => (o?.single ? open(['openDirectory', 'createDirectory'], undefined, o.title) : open(['openDirectory', 'multiSelections'])),
    async saveExport({ format, defaultName, folder }) {
      const win = getWindow();
      const names: Record<string, string> = { xlsx: 'Excel workbook', csv: 'CSV', json: 'JSON' };
      const options: Electron.SaveDialogOptions = {
        defaultPath: join(folder, defaultName),
        filters: [{ name: names[format] ?? format, extensions: [format] }],
        properties: ['createDirectory', 'showOverwriteConfirmation'],
      };
      const r = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return r.canceled || !r.filePath ? { status: 'cancelled' as const } : { status: 'selected' as const, path: r.filePath };
    },
  };
}
