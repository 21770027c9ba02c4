/**
 * The sandboxed preload: exposes exactly window.scandesk (ScanDeskApi) through contextBridge.
 * The page never gets ipcRenderer, the IPC event object, or channels outside the contract.
 * Imports the contract's name list only (no schemas, no engine).
 */
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import {
  eventChannel,
  isEventName,
  isRequestName,
  cropPaths,
  mediaPaths,
  requestChannel,
  type CropKind,
  type EventName,
  type MediaKind,
  type RequestName,
} from '../../shared/contract/names';
import type { ScanDeskApi } from '../../shared/contract';

type Listener = (payload: unknown) => void;

const api = {
  transport: 'electron' as const,

  invoke(name: RequestName, input: unknown): Promise<unknown> {
    if (!isRequestName(name)) {
      return Promise.resolve({ ok: false, error: { code: 'INVALID_INPUT', message: 'Unknown request.' } });
    }
    return ipcRenderer.invoke(requestChannel(name), input).catch(() => ({
      ok: false,
      error: { code: 'INTERNAL', message: 'The ScanDesk main process did not answer.' },
    }));
  },

  on(event: EventName, listener: Listener): () => void {
    if (!isEventName(event) || typeof listener !== 'function') return () => undefined;
    const channel = eventChannel(event);
    // Hand the page the payload only: the IpcRendererEvent exposes the sender.
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, wrapped);
    return () => {
      ipcRenderer.removeListener(channel, wrapped);
    };
  },

  mediaUrl(kind: MediaKind, itemId: number): string {
    return mediaPaths.electron(kind, itemId);
  },

  cropUrl(kind: CropKind, detectionId: number): string {
    return cropPaths.electron(kind, detectionId);
  },

  getPathForFile(file: object): string | null {
    try {
      const path = webUtils.getPathForFile(file as File);
      return path || null;
    } catch {
      return null;
    }
  },
};

// The exposed object must keep the contract's shape (checked at compile time only). Electron
// gives every file its path, so it has no uploads.
const _shape: Record<Exclude<keyof ScanDeskApi, 'uploadFile'>, unknown> = api;
void _shape;

contextBridge.exposeInMainWorld('scandesk', api);
