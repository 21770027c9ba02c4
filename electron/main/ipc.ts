import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { eventChannel, fail, REQUEST_NAMES, requestChannel, type EventName, type EventPayload } from '../../shared/contract';
import { dispatch, type HandlerTable, type Logger } from '../core/api';
import { isTrustedSender } from './app-url';

/**
 * One ipcMain.handle per contract request. The sender must be the main frame of an app page
 * (not an iframe, not a page the window was somehow navigated to); the handler table validates
 * the input and never throws, so the renderer always receives a Result.
 */
export function registerIpc(handlers: HandlerTable, devServerUrl: string | null, log: Logger): () => void {
  for (const name of REQUEST_NAMES) {
    ipcMain.handle(requestChannel(name), async (event: IpcMainInvokeEvent, input: unknown) => {
      // senderFrame is null when the frame navigated or went away before the call arrived.
      const frame = event.senderFrame;
      const main = event.sender.mainFrame;
      const isMainFrame = !!frame && frame.parent === null && frame.processId === main.processId && frame.routingId === main.routingId;
      const trusted = isTrustedSender(frame ? { url: frame.url, isMainFrame } : null, devServerUrl);
      if (!trusted) {
        log(`ipc: refused ${name} from ${frame?.url ?? 'an unknown frame'}`);
        return fail('INVALID_INPUT', 'This request is only accepted from the ScanDesk window.');
      }
      return dispatch(handlers, name, input);
    });
  }
  return () => {
    for (const name of REQUEST_NAMES) ipcMain.removeHandler(requestChannel(name));
  };
}

/** Sends a contract event to the main window's renderer (dropped while it is gone). */
export function eventSender(getWindow: () => BrowserWindow | null) {
  return <E extends EventName>(name: E, payload: EventPayload<E>): void => {
    const win = getWindow();
    if (win && !win.isDestroyed() && !win.webContents.isDestroyed()) win.webContents.send(eventChannel(name), payload);
  };
}
