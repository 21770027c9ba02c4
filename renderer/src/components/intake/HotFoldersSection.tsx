import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { HotFolder } from '../../../../shared/hot-folders';
import { useApp } from '../../api/context';
import { FolderField, folderChoiceOf, type FolderValue } from './FolderField';

/**
 * Settings → Hot folders: folders watched while ScanDesk runs. A file that appears in one
 * (once its size stops changing) joins the folder's live batch; processed files move to the
 * done or failed folder. In the desktop app the folders are chosen in the system's folder
 * dialog (one-time handles); in a browser their absolute paths are typed.
 */
export function HotFoldersSection() {
  const { client, t, reportError } = useApp();
  const [folders, setFolders] = useState<HotFolder[] | null>(null);
  const [path, setPath] = useState<FolderValue>(null);
  const [done, setDone] = useState<FolderValue>(null);
  const [failed, setFailed] = useState<FolderValue>(null);

  const load = useCallback(() => client.call('hotFolders.list').then(setFolders, reportError), [client, reportError]);
  useEffect(() => {
    void load();
    return client.on('batches.changed', () => void load());
  }, [client, load]);

  const add = (e: FormEvent) => {
    e.preventDefault();
    const watched = folderChoiceOf(path);
    if (!watched) return;
    client.call('hotFolders.save', { path: watched, doneDir: folderChoiceOf(done), failedDir: folderChoiceOf(failed) }).then(() => {
      setPath(null);
      setDone(null);
      setFailed(null);
      return load();
    }, reportError);
  };
  const field = (label: string, value: FolderValue, set: (v: FolderValue) => void, testid: string, required = false) => (
    <FolderField
      label={label}
      purpose={required ? 'hotFolder' : 'hotFolderDestination'}
      dialogTitle={required ? t('hot.watchTitle') : t('hot.destinationTitle')}
      value={value}
      onChange={set}
      placeholder={t('hot.pathPlaceholder')}
      testid={testid}
      required={required}
    />
  );
  return (
    <section className="hot-folders" data-testid="hot-folders">
      <h3>{t('hot.title')}</h3>
      <p className="muted">{t('hot.intro')}</p>
      {folders?.map((f) => (
        <article key={f.id} className="vendor-card hot-folder" data-testid="hot-folder" data-live={f.live ? 'true' : 'false'}>
          <header className="vendor-head">
            <code className="grow">{f.path}</code>
            <span className={`status ${f.live ? 'status-running' : f.enabled ? 'status-paused' : ''}`} data-testid="hot-folder-state">
              {f.live ? t('hot.watching') : f.enabled ? t('hot.notWatching') : t('hot.off')}
            </span>
          </header>
          <p className="muted small">
            {t('hot.destinations', { done: f.doneDir ?? t('hot.stays'), failed: f.failedDir ?? t('hot.stays') })}
          </p>
          <p className="small" data-testid="hot-folder-files">
            {t('hot.files', { queued: f.files.queued, done: f.files.done, failed: f.files.failed, gone: f.files.gone })}
          </p>
          <div className="row">
            <button type="button" className="btn" onClick={() => client.call('hotFolders.setEnabled', { id: f.id, enabled: !f.enabled }).then(load, reportError)} data-testid="hot-folder-toggle">
              {f.enabled ? t('hot.stop') : t('hot.start')}
            </button>
            <button type="button" className="btn danger" onClick={() => client.call('hotFolders.remove', { id: f.id }).then(load, reportError)} data-testid="hot-folder-remove">
              {t('hot.remove')}
            </button>
          </div>
        </article>
      ))}
      <form className="form vendor-card" onSubmit={add} data-testid="hot-folder-form">
        {field(t('hot.folder'), path, setPath, 'hot-path', true)}
        <div className="row">
          {field(t('hot.done'), done, setDone, 'hot-done')}
          {field(t('hot.failed'), failed, setFailed, 'hot-failed')}
        </div>
        <div className="row">
          <button type="submit" className="btn primary" disabled={folderChoiceOf(path) === null} data-testid="hot-add">
            {t('hot.add')}
          </button>
        </div>
      </form>
    </section>
  );
}
