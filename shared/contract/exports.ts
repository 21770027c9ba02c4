/**
 * The contract of exports: where a file may be written and what an export answers.
 *
 * The renderer never names a file to write. In the desktop app the native save dialog (opened by
 * the main process) answers a one-time handle for the path the user chose, and only that path can
 * be written, once. In the browser host an export is a download, or a new file in a folder the
 * user typed (an existing folder on this computer; the name is ScanDesk's, never an existing
 * file's). shared/ runs in the renderer too: zod only.
 */
import { z } from 'zod';
import { LocalFolderPath } from './paths';

export const EXPORT_FORMATS = ['xlsx', 'csv', 'json'] as const;
export const ExportFormatSchema = z.enum(EXPORT_FORMATS);

/** A save dialog's one-time handle (random, URL-safe). */
export const ExportHandleSchema = z.string().regex(/^[A-Za-z0-9_-]{22,64}$/, { message: 'is not a save-dialog handle' });

export const EXPORT_DESTINATIONS = ['dialog', 'folder', 'download'] as const;
export type ExportDestination = (typeof EXPORT_DESTINATIONS)[number];

/** Where an export goes: the file chosen in the save dialog, a new file in a folder, or a download. */
export const ExportToSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('dialog'), handle: ExportHandleSchema }),
  z.strictObject({ kind: z.literal('folder'), folder: LocalFolderPath }),
  z.strictObject({ kind: z.literal('download') }),
]);
export type ExportTo = z.infer<typeof ExportToSchema>;

/** What an export wrote. `pages` and `codes` are counted the same way for every format. */
export const ExportDoneSchema = z.object({
  /** The file's name. */
  name: z.string(),
  /** Where it was written on the machine running ScanDesk; null for a download. */
  path: z.string().nullable(),
  /** Every page of the batch is listed, with or without codes. */
  pages: z.number(),
  /** Detections exported (only accepted ones when asked). */
  codes: z.number(),
  /** For export.reveal ("Open folder"); null when there is no folder to show. */
  revealId: z.string().nullable(),
  /** The browser host's one-time address of the file for a download; null otherwise. */
  downloadUrl: z.string().nullable(),
});
export type ExportDone = z.infer<typeof ExportDoneSchema>;

export const ExportWithDialogResultSchema = z.discriminatedUnion('status', [
  ExportDoneSchema.extend({ status: z.literal('done') }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);

/** The save dialog's answer: a handle for export.run (and the chosen name and folder, to show). */
export const SaveDialogResultSchema = z.discriminatedUnion('status', [
  z.object({ status: z.literal('selected'), handle: z.string(), name: z.string(), folder: z.string() }),
  z.object({ status: z.literal('cancelled') }),
  z.object({ status: z.literal('unavailable'), reason: z.string() }),
]);
export type SaveDialogResult = z.infer<typeof SaveDialogResultSchema>;

/** What the export dialog offers here, and the folder to propose (the last one used, else a visible default). */
export const ExportDefaultsSchema = z.object({
  destinations: z.array(z.enum(EXPORT_DESTINATIONS)),
  folder: z.string(),
});
export type ExportDefaults = z.infer<typeof ExportDefaultsSchema>;

const ExportScope = {
  batchId: z.int().positive(),
  format: ExportFormatSchema,
  acceptedOnly: z.boolean().optional(),
  /** ID-card numbers in full; without it they are masked (personal data). */
  revealPersonalData: z.boolean().optional(),
};

export const exportRequests = {
  'export.defaults': { input: z.strictObject({}), output: ExportDefaultsSchema },
  /** Writes the batch where `to` says; answers what was written. */
  'export.run': { input: z.strictObject({ ...ExportScope, to: ExportToSchema }), output: ExportDoneSchema },
  /** The native save dialog, then the export (desktop app); `unavailable` in a browser. */
  'export.withDialog': { input: z.strictObject(ExportScope), output: ExportWithDialogResultSchema },
  /** The native save dialog alone: a one-time handle for export.run. */
  'dialogs.saveExport': { input: z.strictObject({ batchId: z.int().positive(), format: ExportFormatSchema }), output: SaveDialogResultSchema },
  /** Shows an export just written in the system's file manager ("Open folder"). */
  'export.reveal': { input: z.strictObject({ revealId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) }), output: z.object({ revealed: z.literal(true) }) },
} as const;
