/**
 * Folders the user chooses for ScanDesk to watch or write into (hot folders, their done and
 * failed folders, the documents' PDFs). In the desktop app they are chosen in the native
 * folder dialog, opened by the main process, which answers a one-time handle: the renderer
 * never names a folder to write into, as for exports (contract/exports.ts). The browser host
 * has no dialog: there the user types the path. shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';
import { noNul } from './paths';

/** What a chosen folder is for: a handle is spent only on the request it was chosen for. */
export const FOLDER_PURPOSES = ['hotFolder', 'hotFolderDestination', 'documents'] as const;
export type FolderPurpose = (typeof FOLDER_PURPOSES)[number];

/** A folder dialog's one-time handle (random, URL-safe). */
export const FolderHandleSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, { message: 'is not a folder-dialog handle' });

/** A folder as a request names it: typed (browser host), or `{ handle }` from dialogs.chooseFolder (desktop app). */
export function folderChoice<T extends z.ZodType<string>>(typed: T) {
  return z.union([typed, z.strictObject({ handle: FolderHandleSchema })]);
}
export type FolderChoice = string | { handle: string };

/** The folder dialog's answer: a handle for the request, and the folder (to show). */
export const FolderDialogResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('selected'), handle: z.string(), folder: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);
export type FolderDialogResult = z.infer<typeof FolderDialogResultSchema>;

export const folderRequests = {
  /** The native folder dialog (desktop app): a one-time handle for `purpose`; `unavailable` in a browser. */
  'dialogs.chooseFolder': {
    input: z.strictObject({ purpose: z.enum(FOLDER_PURPOSES), title: z.string().max(200).refine(noNul, { message: 'must not contain NUL characters' }).optional() }),
    output: FolderDialogResultSchema,
  },
} as const;
