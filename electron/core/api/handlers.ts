import {
  fail,
  isRequestName,
  ok,
  parseInput,
  REQUEST_NAMES,
  type AppInfo,
  type ParsedInput,
  type RequestName,
  type RequestOutput,
  type Result,
} from '../../../shared/contract';
import { existsSync } from 'node:fs';
import { ScanError } from '../errors';
import { ENGINE_IDS } from '../../../shared/engines';
import type { ScanService } from '../service-types';
import { checkPaths, completePath } from '../intake/check';
import type { DialogProvider } from './dialogs';
import { exportHandlers, type ExportPlaces } from './export-handlers';
import type { MediaCache, MediaSource } from './media-cache';
import { boundaryError, stderrLogger, type Logger } from './errors';
import type { SettingsStore } from './settings-store';
import { vendorHandlers, type VendorDeps } from './vendors';
import { intakeHandlers } from './intake-handlers';
import { chooseFolder, type FolderHandles } from './folder-handles';
import { sharedQueueHandlers } from './shared-queue-handlers';
import type { DeskQueues } from '../shared-queue/desk';
import { cameraHandlers } from './camera-handlers';
import { LiveReader } from '../camera/live-reader';

/**
 * One table of request handlers, registered by both transports (Electron ipcMain and the
 * browser host's WebSocket). Each handler validates its input with the contract schema, calls
 * the service, and answers a Result: it never throws across the boundary.
 */
export interface HandlerDeps {
  transport: 'electron' | 'browser';
  app: { name: string; version: string; dataDir: string };
  settings: SettingsStore;
  dialogs: DialogProvider;
  /** Where exports may go here (save-dialog handles, typed folders, downloads), the folder to propose, Open folder. */
  exports: ExportPlaces;
  /** The previews cache of this transport: a deleted batch's pages are dropped from it. */
  media?: Pick<MediaCache, 'forget'>;
  /** Cloud vendors (keychain, vendor settings, engine registry); without it only local runs. */
  vendors?: VendorDeps;
  /** The app's running hot-folder watchers, brought in line after a Settings change. */
  hotFolders?: { sync(): Promise<void> };
  /** What the app or host said at start (shown by a renderer that connects later). */
  startupNotices?: { all(): string[] };
  /**
   * Desktop app: folders ScanDesk watches or writes into (hot folders, documents' PDFs) are
   * chosen in the native folder dialog and named by one-time handles. Without it (browser
   * host) they are typed.
   */
  folders?: FolderHandles;
  /** The desk's shared queue (Settings → Shared queue); `service` is then its switchable service. */
  queues?: DeskQueues;
  /** Reads the camera preview's frames (default: one of its own, its thread started on first use). */
  live?: LiveReader;
  log?: Logger;
}

export type Handler<N extends RequestName> = (input: unknown) => Promise<Result<RequestOutput<N>>>;
export type HandlerTable = { readonly [N in RequestName]: Handler<N> };

type Impl<N extends RequestName> = (input: ParsedInput<N>) => RequestOutput<N> | Promise<RequestOutput<N>>;
type ImplTable = { [N in RequestName]: Impl<N> };

export function createHandlers(service: ScanService, deps: HandlerDeps): HandlerTable {
  const log = deps.log ?? stderrLogger;

  const vendors = vendorHandlers(deps.vendors);
  const offered = () => new Set<string>(deps.vendors ? deps.vendors.registry.engines.map((e) => e.id) : ['local']);

  const impl: ImplTable = {
    'app.info': (): AppInfo => ({
      name: deps.app.name,
      version: deps.app.version,
      platform: process.platform,
      transport: deps.transport,
      capabilities: { nativeDialogs: deps.transport === 'electron', pathsFromDrop: deps.transport === 'electron' },
      engines: [...ENGINE_IDS],
      dataDir: deps.app.dataDir,
      ...(deps.startupNotices?.all().length ? { notices: deps.startupNotices.all() } : {}),
    }),
    'settings.get': () => deps.settings.get(),
    'settings.set': (input) => deps.settings.set(input),

    'batches.list': () => service.listBatches(),
    'batches.get': ({ batchId }) => service.getBatch(batchId),
    'batches.create': async ({ paths, name, plan, rules }) => {
      const { batch, skipped } = await service.createBatch({ paths, name, plan, rules });
      return { batch, skipped };
    },
    'batches.pause': ({ batchId }) => service.pause(batchId),
    'batches.resume': ({ batchId }) => service.resume(batchId),
    'batches.finishWithoutStopped': ({ batchId }) => service.finishWithoutStopped(batchId),
    'batches.cancel': ({ batchId }) => service.cancel(batchId),
    'batches.retryFailed': ({ batchId }) => service.retryFailed(batchId),
    'batches.rerun': ({ batchId, plan }) => service.rerun(batchId, plan),
    'batches.delete': async ({ batchId }) => {
      // Its previews go with it (pictures of personal documents): which pages, read first.
      const pages = deps.media ? await batchPages(service, batchId) : [];
      await service.deleteBatch(batchId);
      deps.media?.forget(pages);
      return { batchId };
    },

    'items.list': ({ batchId, ...query }) => service.listItems(batchId, query),
    'batches.ignored': ({ batchId, offset, limit }) => service.listIgnored(batchId, { offset, limit }),
    'paths.check': ({ paths }) => checkPaths(paths),
    'paths.complete': async ({ text }) => ({ entries: await completePath(text) }),
    'items.get': ({ itemId }) => service.getItem(itemId),

    'detections.review': ({ detectionId, review, correctedText }) =>
      service.reviewDetection(detectionId, {
        ...(review !== undefined ? { review } : {}),
        ...(correctedText !== undefined ? { correctedText } : {}),
      }),

    'detections.bulkReview': async ({ batchId, scope, review }) => ({ changed: await service.bulkReview(batchId, scope, review) }),
    'detections.restore': async ({ detections }) => ({ pages: await service.restoreReviews(detections) }),
    'detections.symbologies': ({ batchId }) => service.batchSymbologies(batchId),
    'detections.addManual': ({ itemId, box, symbology, text }) => service.addManualDetection(itemId, { box, symbology, text }),
    'detections.removeManual': ({ detectionId }) => service.removeManualDetection(detectionId),
    'detections.list': ({ batchId, ...query }) => service.listCodes(batchId, query),
    'detections.facets': ({ batchId }) => service.codeFacets(batchId),
    'items.position': ({ batchId, itemId }) => service.itemPosition(batchId, itemId),
    'detections.readRegion': async ({ itemId, box }) => ({ codes: await service.readRegion(itemId, box) }),
    'rules.get': ({ batchId }) => service.getRules(batchId),
    'rules.set': async ({ batchId, rules }) => ({ rules: rules, ...(await service.setRules(batchId, rules)) }),
    'items.setNoCode': ({ itemId, checked }) => service.setCheckedNoCode(itemId, checked),
    'items.reveal': async ({ itemId }) => {
      const reveal = deps.exports.reveal;
      if (!reveal) throw new ScanError('INVALID_INPUT', 'This ScanDesk cannot open a file manager.');
      const { path } = await service.getItem(itemId);
      if (!existsSync(path)) throw new ScanError('FILE_NOT_FOUND', `${path} is no longer there (moved or deleted).`);
      await reveal(path);
      return { revealed: true as const };
    },

    ...exportHandlers(service, deps.dialogs, deps.exports),
    'vendors.describe': () => vendors.describe(),

    'credentials.status': () => vendors.status(),
    'credentials.set': ({ vendor, fields }) => vendors.set(vendor, fields),
    'credentials.delete': ({ vendor }) => vendors.remove(vendor),
    'credentials.setProxy': (auth) => vendors.setProxy(auth),
    'credentials.deleteProxy': () => vendors.removeProxy(),
    // Counted in the usage like any call (a WeChat token fetch uses up the day's token quota).
    'credentials.test': ({ vendor }) => service.metered(() => vendors.test(vendor)),
    'vendorSettings.get': () => vendors.getSettings(),
    'vendorSettings.set': (patch) => vendors.setSettings(patch),
    'engines.list': () => vendors.engines(offered()),

    'batches.estimate': ({ paths, plan }) => service.estimateBatch({ paths, plan }, { account: (v) => vendors.usageAccount(v) }),
    'usage.summary': () => service.usageSummary(),
    'usage.batch': ({ batchId }) => service.batchUsage(batchId),

    ...intakeHandlers(service, deps.hotFolders, deps.folders),
    ...cameraHandlers(deps.app.dataDir, deps.live ?? new LiveReader()),

    'dialogs.openFiles': () => deps.dialogs.openFiles(),
    'dialogs.openFolder': () => deps.dialogs.openFolder(),
    'dialogs.chooseFolder': (input) => chooseFolder(deps.dialogs, deps.folders, input),
    ...sharedQueueHandlers(deps.queues),
  };

  const table = {} as Record<RequestName, Handler<RequestName>>;
  for (const name of REQUEST_NAMES) {
    const run = impl[name] as Impl<RequestName>;
    table[name] = async (input: unknown) => {
      const parsed = parseInput(name, input);
      if (!parsed.ok) return parsed;
      try {
        return ok(await run(parsed.value));
      } catch (err) {
        return { ok: false, error: boundaryError(err, name, log) };
      }
    };
  }
  return Object.freeze(table) as HandlerTable;
}

/** Every page (file and page number) of a batch, read a thousand at a time. */
async function batchPages(service: ScanService, batchId: number): Promise<MediaSource[]> {
  const pages: MediaSource[] = [];
  for (let offset = 0; ; offset += 1000) {
    const chunk = await service.listItems(batchId, { offset, limit: 1000 });
    for (const it of chunk.items) pages.push({ path: it.path, page: it.page });
    if (chunk.items.length < 1000) return pages;
  }
}

/**
 * Entry point for a transport that received a name and an input from outside: unknown names
 * and malformed calls come back as INVALID_INPUT, never as a throw.
 */
export async function dispatch(table: HandlerTable, name: unknown, input: unknown): Promise<Result<unknown>> {
  if (!isRequestName(name)) {
    const shown = typeof name === 'string' ? JSON.stringify(name.slice(0, 64)) : typeof name;
    return fail('INVALID_INPUT', `Unknown request ${shown}`);
  }
  return (table[name] as Handler<RequestName>)(input);
}
