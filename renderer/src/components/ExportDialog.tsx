import { useEffect, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { ApiError, isAbsolutePath, type ExportDefaults, type ExportDone } from '../../../shared/contract';
import { errorMessage, useApp } from '../api/context';
import { errorText } from '../logic/error-text';
import { Modal } from './Modal';

type Format = 'xlsx' | 'csv' | 'json';
const FORMATS: Format[] = ['xlsx', 'csv', 'json'];

/**
 * Export: format, scope, and where. The renderer never names a file to write:
 * - desktop app: "Choose…" opens the native save dialog (in the folder used last); ScanDesk
 *   writes exactly the file chosen there;
 * - browser: a download, or a new file in a folder of this computer (proposed: the folder used
 *   last, at first Documents; it must exist; ScanDesk names the file and never replaces one).
 * Afterwards the dialog says what was written (pages and codes, counted alike in every format)
 * and offers "Open folder".
 */
export function ExportDialog(props: { batch: BatchSummary; onClose: () => void }) {
  const { client, t, locale, reportError } = useApp();
  const [defaults, setDefaults] = useState<ExportDefaults | null>(null);
  const [format, setFormat] = useState<Format>('xlsx');
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  // Unticked each time the dialog opens: full ID numbers leave the app only when asked for.
  const [revealPersonalData, setRevealPersonalData] = useState(false);
  const [place, setPlace] = useState<'folder' | 'download'>('download');
  const [folder, setFolder] = useState('');
  /** The save dialog's choice (desktop app): a one-time handle for this format. */
  const [chosen, setChosen] = useState<{ handle: string; name: string; folder: string } | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState<ExportDone | null>(null);

  useEffect(() => {
    let live = true;
    client.call('export.defaults').then((d) => {
      if (!live) return;
      setDefaults(d);
      setFolder(d.folder);
      setPlace(d.destinations.includes('download') ? 'download' : 'folder');
    }, reportError);
    return () => {
      live = false;
    };
  }, [client, reportError]);

  const dialogMode = !!defaults?.destinations.includes('dialog');
  const say = (e: unknown) => setNote(e instanceof ApiError ? errorText(e, t, locale) : errorMessage(e));

  function pickFormat(f: Format) {
    setFormat(f);
    setChosen(null); // a save location is chosen for one format
  }

  async function choose() {
    setNote(null);
    try {
      const r = await client.call('dialogs.saveExport', { batchId: props.batch.id, format });
      if (r.status === 'selected') setChosen({ handle: r.handle, name: r.name, folder: r.folder });
      else if (r.status === 'unavailable') setNote(r.reason);
    } catch (e) {
      say(e);
    }
  }

  async function run() {
    setNote(null);
    let to: { kind: 'dialog'; handle: string } | { kind: 'folder'; folder: string } | { kind: 'download' };
    if (dialogMode) {
      if (!chosen) return setNote(t('export.needPath'));
      to = { kind: 'dialog', handle: chosen.handle };
    } else if (place === 'folder') {
      const dir = folder.trim();
      if (!isAbsolutePath(dir)) return setNote(t('export.folderAbsolute'));
      to = { kind: 'folder', folder: dir };
    } else {
      to = { kind: 'download' };
    }
    setBusy(true);
    try {
      const r = await client.call('export.run', { batchId: props.batch.id, format, acceptedOnly, revealPersonalData, to });
      setChosen(null); // spent
      if (r.downloadUrl) startDownload(r.downloadUrl, r.name);
      setDone(r);
    } catch (e) {
      say(e);
    } finally {
      setBusy(false);
    }
  }

  async function openFolder(revealId: string) {
    try {
      await client.call('export.reveal', { revealId });
    } catch (e) {
      say(e);
    }
  }

  if (done) {
    const counts = [t('export.codes', { count: done.codes }), t('export.pages', { count: done.pages })].join(t('list.separator'));
    return (
      <Modal title={t('export.title')} onClose={props.onClose} testId="export-dialog">
        <div className="form" data-testid="export-result" data-path={done.path ?? ''} data-name={done.name} data-pages={done.pages} data-codes={done.codes}>
          <p role="status">{done.downloadUrl ? t('export.downloaded', { name: done.name, counts }) : t('export.saved', { name: done.name, counts })}</p>
          {done.path && <p className="muted small mono wrap">{done.path}</p>}
          {note && (
            <p className="note warn" role="status">
              {note}
            </p>
          )}
          <div className="actions">
            {done.revealId && (
              <button type="button" className="btn" onClick={() => void openFolder(done.revealId!)} data-testid="export-reveal">
                {t('export.openFolder')}
              </button>
            )}
            <button type="button" className="btn primary" onClick={props.onClose} data-testid="export-close" autoFocus>
              {t('export.close')}
            </button>
          </div>
        </div>
      </Modal>
    );
  }

  return (
    <Modal title={t('export.title')} onClose={props.onClose} testId="export-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        {note && (
          <p className="note warn" role="status" data-testid="export-note">
            {note}
          </p>
        )}
        <fieldset className="field">
          <legend>{t('export.format')}</legend>
          {FORMATS.map((f) => (
            <label key={f} className="radio">
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => pickFormat(f)} data-testid={`format-${f}`} />
              {t(`export.${f}`)}
            </label>
          ))}
        </fieldset>
        <fieldset className="field">
          <legend>{t('export.scope')}</legend>
          <label className="radio">
            <input type="radio" name="scope" checked={!acceptedOnly} onChange={() => setAcceptedOnly(false)} data-testid="scope-all" />
            {t('export.all')}
          </label>
          <label className="radio">
            <input type="radio" name="scope" checked={acceptedOnly} onChange={() => setAcceptedOnly(true)} data-testid="scope-accepted" />
            {t('export.accepted')}
          </label>
        </fieldset>
        {/* Always offered: whether a batch holds ID numbers is not known here without reading
            every page, and the box does nothing to a batch without them. */}
        <div className="field">
          <label className="check">
            <input
              type="checkbox"
              checked={revealPersonalData}
              onChange={(e) => setRevealPersonalData(e.target.checked)}
              aria-describedby="export-reveal-hint"
              data-testid="export-reveal-personal"
            />
            <span>{t('export.revealPersonal')}</span>
          </label>
          <p id="export-reveal-hint" className="muted small">
            {t('export.revealPersonalHint')}
          </p>
        </div>
        {defaults && dialogMode && (
          <div className="field">
            <span>{t('export.path')}</span>
            <div className="row">
              <span className="grow mono wrap" data-testid="export-chosen">
                {chosen ? `${chosen.folder}${chosen.folder.includes('\\') ? '\\' : '/'}${chosen.name}` : t('export.notChosen')}
              </span>
              <button type="button" className="btn" onClick={() => void choose()} data-testid="export-choose">
                {t('export.browse')}
              </button>
            </div>
          </div>
        )}
        {defaults && !dialogMode && (
          <fieldset className="field" data-testid="export-destination">
            <legend>{t('export.path')}</legend>
            {defaults.destinations.includes('download') && (
              <label className="radio">
                <input type="radio" name="place" checked={place === 'download'} onChange={() => setPlace('download')} data-testid="dest-download" />
                {t('export.toDownload')}
              </label>
            )}
            {defaults.destinations.includes('folder') && (
              <>
                <label className="radio">
                  <input type="radio" name="place" checked={place === 'folder'} onChange={() => setPlace('folder')} data-testid="dest-folder" />
                  {t('export.toFolder')}
                </label>
                <input
                  className="grow mono"
                  value={folder}
                  disabled={place !== 'folder'}
                  aria-label={t('export.folder')}
                  aria-describedby="export-folder-hint"
                  placeholder={t('export.folderPlaceholder')}
                  onChange={(e) => setFolder(e.target.value)}
                  data-testid="export-folder"
                />
                <p id="export-folder-hint" className="muted small">
                  {t('export.folderHint')}
                </p>
              </>
            )}
          </fieldset>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('export.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={busy || !defaults} data-testid="export-run">
            {t('export.run')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

/** Lets the browser save the file (its own download bar and folder); the host sends it once. */
function startDownload(url: string, name: string): void {
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
}
