import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import type { MenuCommand } from '../../shared/contract';
import { buildMenuTemplate } from '../../electron/main/menu';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((i) => [i, ...(Array.isArray(i.submenu) ? flatten(i.submenu) : [])]);
}

function build(platform: NodeJS.Platform) {
  const sent: MenuCommand[] = [];
  const template = buildMenuTemplate({ platform, appName: 'ScanDesk', isDev: false, send: (c) => sent.push(c), openExternal: () => undefined });
  return { template, sent, all: flatten(template) };
}

const click = (item: MenuItemConstructorOptions | undefined) =>
  (item?.click as unknown as (() => void) | undefined)?.();

describe('native menus', () => {
  it('Windows/Linux: File, Edit, View, Window, Help; File items send renderer commands; File has Quit', () => {
    const { template, sent, all } = build('linux');
    expect(template.map((m) => m.label ?? m.role)).toEqual(['&File', '&Edit', '&View', 'window', '&Help']);
    const file = template[0]?.submenu as MenuItemConstructorOptions[];
    expect(file.filter((i) => i.label).map((i) => i.label)).toEqual(['Add Files…', 'Add Folder…', 'Export…', 'Settings…', 'Quit']);
    expect(file.some((i) => i.role === 'quit')).toBe(true);
    for (const id of ['file.addFiles', 'file.addFolder', 'file.export', 'edit.undo', 'edit.redo', 'edit.find', 'help.about']) click(all.find((i) => i.id === id));
    expect(sent).toEqual(['addFiles', 'addFolder', 'export', 'undo', 'redo', 'find', 'about']);
    // Edit > Undo/Redo reach the renderer's undo (review work), with the usual keys.
    expect(all.find((i) => i.id === 'edit.undo')).toMatchObject({ label: 'Undo', accelerator: 'CmdOrCtrl+Z' });
    expect(all.find((i) => i.id === 'edit.redo')).toMatchObject({ label: 'Redo', accelerator: 'Ctrl+Y' });
    expect(all.some((i) => i.role === 'undo' || i.role === 'redo')).toBe(false);
    expect(all.some((i) => i.role === 'toggleDevTools')).toBe(false);
  });

  it('macOS: the app menu comes first with About, Settings and Quit; File has no Quit', () => {
    const { template } = build('darwin');
    expect(template[0]?.label).toBe('ScanDesk');
    const appItems = template[0]?.submenu as MenuItemConstructorOptions[];
    expect(appItems.some((i) => i.role === 'quit')).toBe(true);
    expect(appItems.some((i) => i.label === 'Settings…')).toBe(true);
    const file = template[1]?.submenu as MenuItemConstructorOptions[];
    expect(file.some((i) => i.role === 'quit')).toBe(false);
    expect(file.some((i) => i.id === 'file.addFiles' && i.accelerator === 'CmdOrCtrl+O')).toBe(true);
  });
});
