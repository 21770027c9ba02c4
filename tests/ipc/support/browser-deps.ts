import { join } from 'node:path';
import { fileSettingsStore, unavailableDialogs, type HandlerDeps } from '../../../electron/core/api';

/**
 * What the browser host gives the handler table, rooted in a test's temp dir: settings file and
 * exports inside it, no native dialogs. Tests add `vendors` and `log` as they need.
 */
export function browserDeps(dir: string): Pick<HandlerDeps, 'transport' | 'app' | 'settings' | 'dialogs' | 'exportDir'> {
  return {
    transport: 'browser',
    app: { name: 'ScanDesk', version: '0.0.0-test', dataDir: dir },
    settings: fileSettingsStore(join(dir, 'settings.json')),
    dialogs: unavailableDialogs(),
    exportDir: join(dir, 'exports'),
  };
}
