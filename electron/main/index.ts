/**
 * Electron main: lifecycle, the window, menus, dialogs, the scandesk: protocol and IPC. The
 * engine (electron/core) is plain Node; this file only wires it to the desktop.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, dialog, Menu, nativeTheme, session, shell } from 'electron';
import type { MenuCommand, Settings } from '../../shared/contract';
import {
  createHandlers,
  createMediaCache,
  FolderHandles,
  cropSource,
  fileSettingsStore,
  forwardServiceEvents,
  StartupNotices,
  stderrLogger,
  sweepInBackground,
  type MediaCache,
  type SettingsStore,
} from '../core/api';
import { openProfile, type Profile } from '../core/profile';
import { keytarBackend } from '../core/credentials/keychain';
import { SharedQueueConfig } from '../core/shared-queue/config';
import { DeskQueues } from '../core/shared-queue/desk';
import { DeskHotFolders } from '../core/hotfolder/desk-runners';
import { ScanError } from '../core/errors';
import { ExportHandles } from '../core/export/handles';
import { EXPORT_FOLDER_FILE, RememberedFolder } from '../core/export/remembered-folder';
import { APP_ENTRY_URL, isSafeExternalUrl } from './app-url';
import { pathsFromArgv } from './argv';
import { electronDialogs } from './dialogs';
import { eventSender, registerIpc } from './ipc';
import { buildMenuTemplate } from './menu';
import { handleAppProtocol, registerSchemePrivileges } from './protocol';
import { guardWebContents, hardenSession } from './security';
import { createMainWindow, preloadPath } from './window';

const mainDir = dirname(fileURLToPath(import.meta.url));
const devServerUrl = !app.isPackaged && process.env.ELECTRON_RENDERER_URL ? process.env.ELECTRON_RENDERER_URL : null;
const log = stderrLogger;

let mainWindow: BrowserWindow | null = null;
let profile: Profile | null = null;
let hotFolders: DeskHotFolders | null = null;
let mediaCache: MediaCache | null = null;
let queues: DeskQueues | null = null;
let rendererReady = false;
// Paths that arrive before the renderer can take them (argv, macOS open-file at launch).
let pendingPaths: string[] = pathsFromArgv(process.argv, process.cwd(), app.isPackaged);

// Tests and portable set-ups point the profile somewhere else (must happen before 'ready').
if (process.env.SCANDESK_USER_DATA) app.setPath('userData', process.env.SCANDESK_USER_DATA);

registerSchemePrivileges();
app.enableSandbox();

const send = eventSender(() => mainWindow);

function offerPaths(paths: string[]): void {
  if (paths.length === 0) return;
  if (rendererReady) send('paths.opened', { paths });
  else pendingPaths = [...pendingPaths, ...paths];
}

function focusWindow(): void {
  if (!mainWindow) return;
  if (mainWindow.isMinimized()) mainWindow.restore();
  mainWindow.show();
  mainWindow.focus();
}

/** Settings that also steer the native side (the theme of menus and dialogs). */
function nativeAwareSettings(store: SettingsStore): SettingsStore {
  const apply = (s: Settings) => {
    nativeTheme.themeSource = s.theme;
    return s;
  };
  apply(store.get());
  return { get: () => store.get(), set: (change) => apply(store.set(change)) };
}

function openWindow(): void {
  rendererReady = false;
  mainWindow = createMainWindow({
    preloadPath: preloadPath(mainDir),
    url: devServerUrl ?? APP_ENTRY_URL,
    stateFile: join(app.getPath('userData'), 'window-state.json'),
    title: 'ScanDesk',
    packaged: app.isPackaged,
  });
  mainWindow.webContents.on('did-finish-load', () => {
    rendererReady = true;
    const paths = pendingPaths;
    pendingPaths = [];
    offerPaths(paths);
  });
  mainWindow.on('closed', () => {
    mainWindow = null;
  });
}

async function start(): Promise<void> {
  const dataDir = app.getPath('userData');
  mkdirSync(dataDir, { recursive: true });
  const dbPath = join(dataDir, 'scandesk.db');
  // Settings changes credentials and vendor settings at run time through the profile's registry.
  profile = await openProfile({ dbPath });
  const { service: local, registry, settings: vendorSettings } = profile;
  // Hot folders configured in Settings are watched while the app runs (a restart resumes them):
  // this desk's, and while a shared queue is open, the queue's.
  const desktopFolders = new DeskHotFolders(local, { onError: (m) => log(`hot folder: ${m}`) });
  hotFolders = desktopFolders;
  // Settings → Shared queue: requests go to the batches shown now (this desk's, or a shared queue's).
  const deskQueues = new DeskQueues({
    local,
    dbPath,
    config: new SharedQueueConfig(dataDir, keytarBackend()),
    log: (m) => log(`shared queue: ${m}`),
    onShared: (shared) => desktopFolders.attach(shared),
  });
  queues = deskQueues;
  deskQueues.start();
  const svc = deskQueues.service;

  const media = createMediaCache({
    dir: join(app.getPath('userData'), 'cache', 'media'),
    // A shared queue's pages come from its blob store (checked against their hash), not the
    // path they were submitted with on another machine.
    lookup: (itemId) => svc.pageFile(itemId),
  });
  mediaCache = media;
  await desktopFolders.sync();
  // OSS pages a run that died left in the bucket are deleted now (not only at the next OSS
  // page); what cannot be is said once, to the window now or when it opens.
  const startupNotices = new StartupNotices((engine, message) => send('notice', { batchId: 0, engine, message }));
  void sweepInBackground(registry, dataDir, startupNotices, log);
  const handlers = createHandlers(svc, {
    transport: 'electron',
    app: { name: 'ScanDesk', version: app.getVersion(), dataDir },
    settings: nativeAwareSettings(fileSettingsStore(join(dataDir, 'settings.json'))),
    dialogs: electronDialogs(() => mainWindow),
    // Exports go only where the user chose in the native save dialog (a one-time handle per
    // choice); the dialog opens in the folder used last, at first in Documents.
    exports: {
      handles: new ExportHandles(),
      remembered: new RememberedFolder(join(dataDir, EXPORT_FOLDER_FILE), () => app.getPath('documents')),
      reveal: async (path) => shell.showItemInFolder(path),
    },
    media,
    vendors: { registry, settings: vendorSettings },
    hotFolders,
    startupNotices,
    // Hot folders and the documents' PDF folder: only folders chosen in the native dialog.
    folders: new FolderHandles(),
    queues: deskQueues,
    log,
  });

  hardenSession(session.defaultSession, devServerUrl);
  handleAppProtocol(session.defaultSession, { rendererDir: join(mainDir, '../renderer'), media, crops: cropSource(svc) });
  registerIpc(handlers, devServerUrl, log);
  forwardServiceEvents(svc, send);
  deskQueues.onChange((status) => send('sharedQueue.changed', status));

  const menuCommand = (command: MenuCommand) => send('menu.command', { command });
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      buildMenuTemplate({
        platform: process.platform,
        appName: 'ScanDesk',
        isDev: !app.isPackaged,
        send: menuCommand,
        openExternal: (url) => {
          if (isSafeExternalUrl(url)) void shell.openExternal(url);
        },
      }),
    ),
  );

  openWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another ScanDesk is running: it receives our argv through 'second-instance'.
  app.quit();
} else {
  app.on('second-instance', (_event, argv, workingDirectory) => {
    focusWindow();
    offerPaths(pathsFromArgv(argv, workingDirectory, app.isPackaged));
  });
  // macOS: files dropped on the dock icon or opened with the app (may fire before ready).
  app.on('open-file', (event, path) => {
    event.preventDefault();
    offerPaths([path]);
    focusWindow();
  });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, devServerUrl));
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting || !profile) return;
    // Close the database cleanly (jobs in flight keep their lease and resume next start).
    event.preventDefault();
    quitting = true;
    const closing = profile;
    profile = null;
    const watching = hotFolders;
    hotFolders = null;
    const previews = mediaCache;
    mediaCache = null;
    const shared = queues;
    queues = null;
    Promise.all([watching?.close(), previews?.close(), shared?.close()])
      .then(() => closing.close())
      .finally(() => app.quit());
  });

  app
    .whenReady()
    .then(start)
    .catch((err: unknown) => {
      log('ScanDesk could not start', err);
      // A ScanError's message is written for people; anything else stays in the log.
      const detail = err instanceof ScanError ? err.message : 'See the application log for details.';
      dialog.showErrorBox('ScanDesk could not start', detail);
      app.exit(1);
    });
}
