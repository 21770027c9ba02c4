/**
 * The names of every request and event that crosses the renderer boundary, with no schema
 * attached. The sandboxed preload imports only this list (it must not carry zod or the engine);
 * shared/contract.ts checks at compile time that its schema tables use exactly these names.
 */

import type { CropKind } from '../idcard';

export type { CropKind };

export const REQUEST_NAMES = [
  'app.info',
  'settings.get',
  'settings.set',
  'batches.list',
  'batches.get',
  'batches.create',
  'batches.pause',
  'batches.resume',
  'batches.cancel',
  'batches.finishWithoutStopped',
  'batches.retryFailed',
  'batches.delete',
  'items.list',
  'items.get',
  'detections.review',
  'export.defaults',
  'export.run',
  'export.withDialog',
  'export.reveal',
  'dialogs.openFiles',
  'dialogs.openFolder',
  'dialogs.saveExport',
  'dialogs.chooseFolder',
  'sharedQueue.status',
  'sharedQueue.test',
  'sharedQueue.save',
  'sharedQueue.forget',
  'sharedQueue.show',
  // Cloud vendors: status only ever travels to the renderer; secrets go renderer -> host ->
  // keychain (credentials.set) and never come back.
  'vendors.describe',
  'credentials.status',
  'credentials.set',
  'credentials.delete',
  'credentials.setProxy',
  'credentials.deleteProxy',
  'credentials.test',
  'vendorSettings.get',
  'vendorSettings.set',
  'engines.list',
  'batches.rerun',
  // Capture from a camera: a captured frame kept as a page, live outlines of the codes in view.
  'captures.save',
  'camera.readFrame',
  // Intake help for the new-batch dialog, and the files a batch ignored.
  'paths.check',
  'paths.complete',
  'batches.ignored',
  // Review at speed: one verdict for many, its undo, and what a batch holds.
  'detections.bulkReview',
  'detections.restore',
  'detections.symbologies',
  // Manual review: a code drawn by hand, and "checked, no code here".
  'detections.addManual',
  'detections.removeManual',
  'items.setNoCode',
  'items.reveal',
  // The results table: every detection of a batch, filtered and paged; a page's place in the batch.
  'detections.list',
  'detections.facets',
  'items.position',
  'detections.readRegion',
  // Vendor usage and what a batch would send before it starts.
  'batches.estimate',
  'usage.summary',
  'usage.batch',
  // Issue 9 intake: documents, reconciliation, hot folders (shared/contract/intake.ts).
  'documents.getRule',
  'documents.setRule',
  'documents.list',
  'documents.writePdfs',
  'expected.import',
  'expected.set',
  'reconciliation.get',
  'hotFolders.list',
  'hotFolders.save',
  'hotFolders.setEnabled',
  'hotFolders.remove',
  // Per-batch review rules (shared/contract/rules.ts).
  'rules.get',
  'rules.set',
] as const;

export const EVENT_NAMES = ['batch.progress', 'batches.changed', 'notice', 'menu.command', 'paths.opened', 'sharedQueue.changed'] as const;

export type RequestName = (typeof REQUEST_NAMES)[number];
export type EventName = (typeof EVENT_NAMES)[number];

export function isRequestName(value: unknown): value is RequestName {
  return typeof value === 'string' && (REQUEST_NAMES as readonly string[]).includes(value);
}

export function isEventName(value: unknown): value is EventName {
  return typeof value === 'string' && (EVENT_NAMES as readonly string[]).includes(value);
}

/** IPC channel names used by Electron main and the preload (one per request / event). */
export const requestChannel = (name: RequestName): string => `scandesk:req:${name}`;
export const eventChannel = (name: EventName): string => `scandesk:evt:${name}`;

/** The commands the native File/Edit/View/Help menus send to the renderer (event menu.command). */
export const MENU_COMMANDS = ['addFiles', 'addFolder', 'export', 'settings', 'about', 'find', 'undo', 'redo'] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** The kinds of image the app serves by item id (scandesk: protocol / host HTTP route). */
export const MEDIA_KINDS = ['preview', 'thumb'] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];

/** Media URL builders, one per transport, so both agree on the address scheme. */
export const mediaPaths = {
  electron: (kind: MediaKind, itemId: number): string => `scandesk://media/${kind}/${itemId}`,
  http: (kind: MediaKind, itemId: number): string => `/media/${kind}/${itemId}`,
};

/** Parses `/{kind}/{id}` (the tail of either media URL); null when it is not one. */
export function parseMediaPath(pathname: string): { kind: MediaKind; itemId: number } | null {
  const m = /^\/(preview|thumb)\/([1-9][0-9]{0,15})$/.exec(pathname);
  if (!m) return null;
  const itemId = Number(m[2]);
  if (!Number.isSafeInteger(itemId)) return null;
  return { kind: m[1] as MediaKind, itemId };
}

/**
 * IDCardOCR's card and portrait crops, served by detection id under the same media route
 * (personal data: the renderer asks for one only when the user chooses to see it; never a path).
 */
export const cropPaths = {
  electron: (kind: CropKind, detectionId: number): string => `scandesk://media/crop/${kind}/${detectionId}`,
  http: (kind: CropKind, detectionId: number): string => `/media/crop/${kind}/${detectionId}`,
};

/** Parses `/crop/{kind}/{detectionId}` (the tail of either crop URL); null when it is not one. */
export function parseCropPath(pathname: string): { kind: CropKind; detectionId: number } | null {
  const m = /^\/crop\/(idcard|portrait)\/([1-9][0-9]{0,15})$/.exec(pathname);
  if (!m) return null;
  const detectionId = Number(m[2]);
  if (!Number.isSafeInteger(detectionId)) return null;
  return { kind: m[1] as CropKind, detectionId };
}
