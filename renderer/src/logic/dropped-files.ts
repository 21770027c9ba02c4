/**
 * Files from a drop or a file picker with the path they had under what was chosen ("March/
 * scan-01.png" for a dropped folder), for a host that is sent the files themselves (a browser
 * never gives paths). Folders are read through the File and Directory Entries API.
 */
export interface PickedFile {
  file: File;
  /** Relative path, '/'-separated: the folder structure is kept under the upload folder. */
  path: string;
}

/** Entries must be taken from the DataTransfer during the drop event itself (it empties after). */
export function droppedEntries(dt: DataTransfer): Array<FileSystemEntry | File> {
  const out: Array<FileSystemEntry | File> = [];
  for (const item of Array.from(dt.items ?? [])) {
    if (item.kind !== 'file') continue;
    const entry = item.webkitGetAsEntry?.();
    const file = item.getAsFile();
    if (entry) out.push(entry);
    else if (file) out.push(file);
  }
  if (out.length === 0) out.push(...Array.from(dt.files));
  return out;
}

export async function readDropped(entries: Array<FileSystemEntry | File>): Promise<PickedFile[]> {
  const out: PickedFile[] = [];
  for (const e of entries) {
    if (e instanceof File) out.push({ file: e, path: e.name });
    else await readEntry(e, '', out);
  }
  return out;
}

async function readEntry(entry: FileSystemEntry, prefix: string, out: PickedFile[]): Promise<void> {
  const path = prefix ? `${prefix}/${entry.name}` : entry.name;
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    out.push({ file, path });
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in chunks (100 at a time in Chromium) until an empty one.
  for (;;) {
    const chunk = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (chunk.length === 0) break;
    for (const child of chunk) await readEntry(child, path, out);
  }
}

/** Files from <input type=file> (webkitRelativePath is set for a chosen folder). */
export function pickedFiles(list: FileList | null): PickedFile[] {
  return Array.from(list ?? []).map((file) => ({ file, path: file.webkitRelativePath || file.name }));
}
