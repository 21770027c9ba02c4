import { useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { isAbsolutePath } from '../../../shared/contract';
import { useApp } from '../api/context';
import { Modal } from './Modal';

type Format = 'xlsx' | 'csv' | 'json';
const FORMATS: Format[] = ['xlsx', 'csv', 'json'];

/** Export: format, scope, and where (native save dialog in Electron, a typed path otherwise). */
export function ExportDialog(props: { batch: BatchSummary; onClose: () => void }) {
  const { client, info, t, reportError, notify } = useApp();
  const [format, setFormat] = useState<Format>('xlsx');
  const [acceptedOnly, setAcceptedOnly] = useState(false);
  // Unticked each time the dialog opens: full ID numbers leave the app only when asked for.
  const [revealPersonalData, setRevealPersonalData] = useState(false);
  const [path, setPath] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function browse() {
    try {
      const r = await client.call('dialogs.saveExport', { format, defaultName: `${safeName(props.batch.name)}.${format}` });
      if (r.status === 'selected') setPath(r.path);
      else if (r.status === 'unavailable') setNote(r.reason);
    } catch (e) {
      reportError(e);
    }
  }

  async function run() {
    const target = path.trim();
    if (target && !isAbsolutePath(target)) {
      setNote(t('export.pathPlaceholder'));
      return;
    }
    if (!target && info.capabilities.nativeDialogs) {
      setNote(t('export.needPath'));
      return;
    }
    setBusy(true);
    try {
      const r = await client.call('export.run', {
        batchId: props.batch.id,
        format,
        acceptedOnly,
        revealPersonalData,
        ...(target ? { path: target } : {}),
      });
      notify(t('export.done', { count: r.rows, path: r.path }));
      props.onClose();
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
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
          <p className="note" role="status">
            {note}
          </p>
        )}
        <fieldset className="field">
          <legend>{t('export.format')}</legend>
          {FORMATS.map((f) => (
            <label key={f} className="radio">
              <input type="radio" name="format" value={f} checked={format === f} onChange={() => setFormat(f)} data-testid={`format-${f}`} />
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
        <label className="field">
          <span>{t('export.path')}</span>
          <div className="row">
            <input className="grow mono" value={path} placeholder={t('export.pathPlaceholder')} onChange={(e) => setPath(e.target.value)} data-testid="export-path" />
            {info.capabilities.nativeDialogs && (
              <button type="button" className="btn" onClick={() => void browse()}>
                {t('export.browse')}
              </button>
            )}
          </div>
        </label>
        <div className="actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('export.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="export-run">
            {t('export.run')}
          </button>
        </div>
      </form>
    </Modal>
  );
}

function safeName(name: string): string {
  const cleaned = Array.from(name, (ch) => (ch.charCodeAt(0) < 32 || '\\/:*?"<>|'.includes(ch) ? '_' : ch)).join('');
  return cleaned.slice(0, 100) || 'export';
}
