import type { FolderChoice, ParsedInput, RequestOutput } from '../../../shared/contract';
import { expectedFromText } from '../reconcile/expected-list';
import type { ScanService } from '../service-types';
import { chosenFolder, type FolderHandles } from './folder-handles';

/**
 * Handlers of issue 9's intake requests (documents, reconciliation, hot folders), spread into
 * the one handler table (handlers.ts). `hotFolders.sync` brings the running watchers in line
 * after a change (the app's HotFolderRunner); without one, folders are stored for `scandesk
 * watch` to run. With `folders` (desktop app) every folder ScanDesk watches or writes into is
 * a handle from the native folder dialog; without (browser host) a typed path.
 */
type Names =
  | 'documents.getRule'
  | 'documents.setRule'
  | 'documents.list'
  | 'documents.writePdfs'
  | 'expected.import'
  | 'expected.set'
  | 'reconciliation.get'
  | 'hotFolders.list'
  | 'hotFolders.save'
  | 'hotFolders.setEnabled'
  | 'hotFolders.remove';

export type IntakeImpl = { [N in Names]: (input: ParsedInput<N>) => Promise<RequestOutput<N>> };

export function intakeHandlers(service: ScanService, hotFolders?: { sync(): Promise<void> }, folders?: FolderHandles): IntakeImpl {
  const destination = (choice: FolderChoice | null | undefined) => (choice ? chosenFolder(choice, 'hotFolderDestination', folders) : null);
  const synced = async <T>(value: T): Promise<T> => {
    await hotFolders?.sync();
    return value;
  };
  return {
    'documents.getRule': ({ batchId }) => service.documents.getRule(batchId),
    'documents.setRule': ({ batchId, rule }) => service.documents.setRule(batchId, rule),
    'documents.list': ({ batchId }) => service.documents.list(batchId),
    // The folder is the renderer's word: the user's files already in it are never replaced.
    'documents.writePdfs': ({ batchId, dir }) => service.documents.writePdfs(batchId, chosenFolder(dir, 'documents', folders), { existing: 'keep' }),
    'expected.import': ({ batchId, fileName, bytesBase64, column }) =>
      service.reconciliation.importList(batchId, Buffer.from(bytesBase64, 'base64'), { source: fileName, column }),
    'expected.set': ({ batchId, values }) => {
      if (values === null) return service.reconciliation.setList(batchId, null);
      const list = expectedFromText(values.join('\n'));
      return service.reconciliation.setList(batchId, { source: 'pasted', column: list.column, values: list.values });
    },
    'reconciliation.get': ({ batchId }) => service.reconciliation.get(batchId),
    'hotFolders.list': () => service.hotFolders.list(),
    'hotFolders.save': async ({ path, doneDir, failedDir }) =>
      synced(
        await service.hotFolders.save({
          path: chosenFolder(path, 'hotFolder', folders),
          plan: { engine: 'local', task: 'codes' },
          doneDir: destination(doneDir),
          failedDir: destination(failedDir),
        }),
      ),
    'hotFolders.setEnabled': async ({ id, enabled }) => synced(await service.hotFolders.setEnabled(id, enabled)),
    'hotFolders.remove': async ({ id }) => {
      await service.hotFolders.remove(id);
      return synced({ id });
    },
  };
}
