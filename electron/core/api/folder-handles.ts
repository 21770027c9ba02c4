import type { FolderChoice, FolderDialogResult, FolderPurpose } from '../../../shared/contract';
import { ScanError } from '../errors';
import { OneTimeHandles } from '../one-time-handles';
import type { DialogProvider } from './dialogs';

const NO_FOLDER_DIALOG = 'There is no folder dialog here: type the folder’s path.';

const PURPOSE_WORDS: Record<FolderPurpose, string> = {
  hotFolder: 'a folder to watch',
  hotFolderDestination: "a hot folder's done or failed folder",
  documents: "the documents' PDFs",
};

/**
 * Folders chosen in the native folder dialog (desktop app), behind one-time handles: a hot
 * folder (its files are moved out of it), its done and failed folders and the documents' PDF
 * folder (written into) are only ever the ones the user picked, never a path from the renderer.
 */
export class FolderHandles {
  private readonly handles: OneTimeHandles<FolderPurpose>;

  constructor(ttlMs = 10 * 60_000, now: () => number = Date.now) {
    this.handles = new OneTimeHandles(ttlMs, now);
  }

  issue(path: string, purpose: FolderPurpose): string {
    return this.handles.issue(path, purpose);
  }

  /** The folder of a live handle chosen for `purpose`; the handle is spent either way. */
  take(handle: string, purpose: FolderPurpose): string {
    return this.handles.take(handle, purpose, {
      spent: 'This folder choice was already used or has expired: choose the folder again.',
      otherTag: (was) => `This folder was chosen as ${PURPOSE_WORDS[was]}, not ${PURPOSE_WORDS[purpose]}: choose it again.`,
    });
  }
}

/**
 * The folder a request names, as this transport allows: with `handles` (desktop app) only a
 * handle from the folder dialog, without (browser host) only a typed path.
 */
export function chosenFolder(choice: FolderChoice, purpose: FolderPurpose, handles: FolderHandles | undefined): string {
  if (typeof choice === 'string') {
    if (handles) throw new ScanError('INVALID_INPUT', 'Here folders are chosen in the system’s folder dialog (Choose…), not typed.');
    return choice;
  }
  if (!handles) throw new ScanError('INVALID_INPUT', 'There is no folder dialog here: type the folder’s path.');
  return handles.take(choice.handle, purpose);
}

/** dialogs.chooseFolder: the native dialog, one folder, answered as a one-time handle for `purpose`. */
export async function chooseFolder(
  dialogs: DialogProvider,
  handles: FolderHandles | undefined,
  input: { purpose: FolderPurpose; title?: string | undefined },
): Promise<FolderDialogResult> {
  if (!handles) return { status: 'unavailable', reason: NO_FOLDER_DIALOG };
  const r = await dialogs.openFolder({ single: true, ...(input.title ? { title: input.title } : {}) });
  if (r.status !== 'selected') return r;
  const folder = r.paths[0];
  if (!folder) return { status: 'cancelled' };
  return { status: 'selected', handle: handles.issue(folder, input.purpose), folder };
}
