import type { MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/contract';

/**
 * The native menus. File items do not act themselves: they send a menu.command event and the
 * renderer runs the same action as its own buttons (one code path for both). Plain logic
 * (type-only Electron import) so the template is unit-tested; main builds it with
 * Menu.buildFromTemplate.
 */
export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  isDev: boolean;
  send: (command: MenuCommand) => void;
  openExternal: (url: string) => void;
  helpUrl?: string;
}

export function buildMenuTemplate(o: MenuOptions): MenuItemConstructorOptions[] {
  const mac = o.platform === 'darwin';
  const cmd = (command: MenuCommand) => () => o.send(command);

  const appMenu: MenuItemConstructorOptions = {
    label: o.appName,
    submenu: [
      { label: `About ${o.appName}`, click: cmd('about') },
      { type: 'separator' },
      { label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: cmd('settings') },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };

  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { id: 'file.addFiles', label: 'Add Files…', accelerator: 'CmdOrCtrl+O', click: cmd('addFiles') },
      { id: 'file.addFolder', label: 'Add Folder…', accelerator: 'CmdOrCtrl+Shift+O', click: cmd('addFolder') },
      { type: 'separator' },
      { id: 'file.export', label: 'Export…', accelerator: 'CmdOrCtrl+E', click: cmd('export') },
      ...(mac
        ? [{ type: 'separator' as const }, { role: 'close' as const }]
        : [
            { type: 'separator' as const },
            { id: 'file.settings', label: 'Settings…', accelerator: 'CmdOrCtrl+,', click: cmd('settings') },
            { type: 'separator' as const },
            { role: 'quit' as const, label: 'Quit' },
          ]),
    ],
  };

  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      // The review's undo (verdicts, edits, drawn codes); in a text field the renderer undoes typing.
      { id: 'edit.undo', label: 'Undo', accelerator: 'CmdOrCtrl+Z', click: cmd('undo') },
      { id: 'edit.redo', label: 'Redo', accelerator: o.platform === 'darwin' ? 'Cmd+Shift+Z' : 'Ctrl+Y', click: cmd('redo') },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'selectAll' },
      { type: 'separator' },
      { id: 'edit.find', label: 'Find', accelerator: 'CmdOrCtrl+F', click: cmd('find') },
    ],
  };

  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      ...(o.isDev ? [{ role: 'reload' as const }, { role: 'toggleDevTools' as const }, { type: 'separator' as const }] : []),
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };

  const windowMenu: MenuItemConstructorOptions = {
    role: 'window',
    submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
  };

  const help: MenuItemConstructorOptions = {
    role: 'help',
    label: '&Help',
    submenu: [
      ...(o.helpUrl ? [{ label: 'ScanDesk Help', click: () => o.openExternal(o.helpUrl as string) }] : []),
      ...(mac ? [] : [{ id: 'help.about', label: `About ${o.appName}`, click: cmd('about') }]),
    ],
  };

  return [...(mac ? [appMenu] : []), file, edit, view, windowMenu, help];
}
