import { join } from 'node:path';
import { fileSettingsStore, unavailableDialogs, type HandlerDeps } from '../../../electron/core/api';
import { RememberedFolder } from '../../../electron/core/export/remembered-folder';

/**
 * What the browser host gives the handler table, rooted in a test's temp dir: settings file and
 * exports into typed folders (the proposed one is the temp dir), no native dialogs. Tests add `vendors` and `log` as they need.
 */
export function browserDeps(dir: string): Pick<HandlerDeps, 'transport' | 'app' | 'settings' | 'dialogs' | 'exports'> {
  return {
    transport: 'browser',
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: dir },
    settings: fileSettingsStore(join(dir, 'settings.json')),
    dialogs: unavailableDialogs(),
    exports: { folders: true, remembered: new RememberedFolder(join(dir, 'export-folder.json'), () => dir) },
  };
}
