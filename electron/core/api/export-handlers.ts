import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import type { ExportDestination, ExportDone, ExportTo, ParsedInput, RequestOutput } from '../../../shared/contract';
import { ScanError } from '../errors';
import type { DownloadSpool } from '../export/downloads';
import type { ExportHandles } from '../export/handles';
import { defaultExportName } from '../export/names';
import type { RememberedFolder } from '../export/remembered-folder';
import { checkExportFile, checkExportFolder, withExtension } from '../export/target';
import type { ExportFormat } from '../export/types';
import type { ScanService } from '../service-types';
import type { DialogProvider } from './dialogs';
import type { RevealFile } from './reveal';

/**
 * Where exports may go, as each transport allows it (issue 12 "Exports go where the user
 * chose", issue 9's export items):
 * - desktop app: `handles` only. The main process opens the native save dialog and keeps the
 *   chosen path behind a one-time handle; the renderer never names a file.
 * - browser host: `downloads` (the browser saves the file) and `folders`: a new file, named by
 *   ScanDesk, in an existing folder on this computer the user typed (never a network path, never
 *   a folder created on the side, never over an existing file).
 * Either way the folder used last is proposed next time, and "Open folder" shows the file.
 */
export interface ExportPlaces {
  handles?: ExportHandles;
  downloads?: DownloadSpool;
  /** Typed folders are accepted (browser host). */
  folders?: boolean;
  remembered: RememberedFolder;
  /** Shows a file in the system's file manager; without it there is no "Open folder". */
  reveal?: RevealFile;
  /** Where the host serves a download by id (e.g. id => `/downloads/${id}`). */
  downloadUrl?: (id: string) => string;
}

type Names = 'export.defaults' | 'export.run' | 'export.withDialog' | 'dialogs.saveExport' | 'export.reveal';
export type ExportImpl = { [N in Names]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };

type Scope = { batchId: number; format: ExportFormat; acceptedOnly?: boolean; revealPersonalData?: boolean };

export function exportHandlers(service: ScanService, dialogs: DialogProvider, places: ExportPlaces): ExportImpl {
  // Files this process wrote, by a random id: "Open folder" can show these and nothing else.
  const written = new Map<string, string>();
  const revealable = (path: string): string | null => {
    if (!places.reveal) return null;
    const id = randomBytes(12).toString('base64url');
    written.set(id, path);
    return id;
  };

  const write = async (scope: Scope, path: string, existing: 'replace' | 'keep') =>
    service.exportBatch({
      batchId: scope.batchId,
      format: scope.format,
      path,
      existing,
      acceptedOnly: scope.acceptedOnly,
      // Personal data stays masked unless the caller asked for it in so many words.
      revealPersonalData: scope.revealPersonalData === true,
    });

  /** The file the user chose in the save dialog: replaced if it exists (the dialog asked). */
  const toChosenFile = async (scope: Scope, chosen: string): Promise<ExportDone> => {
    const path = await checkExportFile(chosen, scope.format, { allowUnc: true }); // the user picked it in the OS's own dialog
    const out = await write(scope, path, 'replace');
    places.remembered.remember(dirname(out.path));
    return { name: basename(out.path), path: out.path, pages: out.pages, codes: out.codes, revealId: revealable(out.path), downloadUrl: null };
  };

  const toFolder = async (scope: Scope, folder: string): Promise<ExportDone> => {
    const batch = await service.getBatch(scope.batchId); // NOT_FOUND first
    if (!places.folders) throw new ScanError('INVALID_INPUT', 'Here an export is saved where you choose in the save dialog.');
    const dir = await checkExportFolder(folder);
    const out = await write(scope, join(dir, defaultExportName(batch.name, batch.id, scope.format)), 'keep');
    places.remembered.remember(dir);
    return { name: basename(out.path), path: out.path, pages: out.pages, codes: out.codes, revealId: revealable(out.path), downloadUrl: null };
  };

  const toDownload = async (scope: Scope): Promise<ExportDone> => {
    const batch = await service.getBatch(scope.batchId); // NOT_FOUND first
    const spool = places.downloads;
    if (!spool || !places.downloadUrl) throw new ScanError('INVALID_INPUT', 'Downloads are offered by the browser version of ScanDesk only.');
    const name = defaultExportName(batch.name, batch.id, scope.format);
    const slot = spool.reserve();
    const out = await write(scope, join(slot.folder, slot.fileName), 'keep');
    spool.offer(slot.id, out.path, name, scope.format);
    return { name, path: null, pages: out.pages, codes: out.codes, revealId: null, downloadUrl: places.downloadUrl(slot.id) };
  };

  /** The native save dialog at the remembered folder; the chosen path with the format's extension. */
  const askWhere = async (scope: Scope) => {
    const batch = await service.getBatch(scope.batchId); // NOT_FOUND before any dialog opens
    const choice = await dialogs.saveExport({
      format: scope.format,
      defaultName: defaultExportName(batch.name, batch.id, scope.format),
      folder: places.remembered.get(),
    });
    return choice.status === 'selected' ? { status: 'selected' as const, path: withExtension(choice.path, scope.format) } : choice;
  };

  const destinations = (): ExportDestination[] => [
    ...(places.handles ? (['dialog'] as const) : []),
    ...(places.folders ? (['folder'] as const) : []),
    ...(places.downloads ? (['download'] as const) : []),
  ];

  return {
    'export.defaults': async () => ({ destinations: destinations(), folder: places.remembered.get() }),

    'export.run': async ({ to, ...scope }) => {
      const where: ExportTo = to;
      if (where.kind === 'dialog') {
        if (!places.handles) throw new ScanError('INVALID_INPUT', 'There is no save dialog here: export to a folder or as a download.');
        return toChosenFile(scope, places.handles.take(where.handle, scope.format));
      }
      if (where.kind === 'folder') return toFolder(scope, where.folder);
      return toDownload(scope);
    },

    'export.withDialog': async (scope) => {
      await service.getBatch(scope.batchId); // NOT_FOUND first, whatever this transport offers
      if (!places.handles) return { status: 'unavailable', reason: 'There is no save dialog here: export to a folder or as a download.' };
      const choice = await askWhere(scope);
      if (choice.status !== 'selected') return choice;
      return { status: 'done', ...(await toChosenFile(scope, choice.path)) };
    },

    'dialogs.saveExport': async (scope) => {
      await service.getBatch(scope.batchId); // NOT_FOUND first, whatever this transport offers
      if (!places.handles) return { status: 'unavailable', reason: 'There is no save dialog here: export to a folder or as a download.' };
      const choice = await askWhere(scope);
      if (choice.status !== 'selected') return choice;
      return { status: 'selected', handle: places.handles.issue(choice.path, scope.format), name: basename(choice.path), folder: dirname(choice.path) };
    },

    'export.reveal': async ({ revealId }) => {
      const path = written.get(revealId);
      if (!path || !places.reveal) throw new ScanError('NOT_FOUND', 'That export is not one this ScanDesk wrote since it started.');
      await places.reveal(path);
      return { revealed: true as const };
    },
  };
}
