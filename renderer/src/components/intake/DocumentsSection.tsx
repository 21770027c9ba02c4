import { useCallback, useEffect, useState, type FormEvent } from 'react';
import type { DocumentList, DocumentPdf, SeparationRule } from '../../../../shared/documents';
import type { FolderChoice } from '../../../../shared/contract';
import { useApp } from '../../api/context';
import { useChooseFolder } from './FolderField';

/**
 * The batch split into documents: the separation rule (a code pattern, or every N pages), the
 * documents it gives now (each with its pages as thumbnails, the separator sheet marked), and
 * one PDF per document written into a folder the user chooses (the system's folder dialog in
 * the desktop app, a typed path in a browser).
 */
export function DocumentsSection(props: { batchId: number; version: number; onOpenItem: (itemId: number) => void }) {
  const { client, t, info, reportError } = useApp();
  const [list, setList] = useState<DocumentList | null>(null);
  const [kind, setKind] = useState<'code' | 'every'>('code');
  const [pattern, setPattern] = useState('');
  const [pages, setPages] = useState('1');
  const [drop, setDrop] = useState(false);
  const [template, setTemplate] = useState('{code}.pdf');
  const [dir, setDir] = useState('');
  const [written, setWritten] = useState<DocumentPdf[] | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client.call('documents.list', { batchId: props.batchId }).then((l) => {
      setList(l);
      const r = l.rule as SeparationRule | null;
      if (r) {
        setKind(r.kind);
        if (r.kind === 'code') {
          setPattern(r.pattern);
          setDrop(r.dropSeparators);
        } else setPages(String(r.pages));
        if (r.template) setTemplate(r.template);
      }
    }, reportError);
  }, [client, props.batchId, reportError]);
  useEffect(load, [load, props.version]);

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const rule: SeparationRule =
      kind === 'code' ? { kind, pattern: pattern.trim(), dropSeparators: drop, template } : { kind, pages: Number(pages), template };
    client.call('documents.setRule', { batchId: props.batchId, rule }).then(load, reportError);
  };
  const remove = () => client.call('documents.setRule', { batchId: props.batchId, rule: null }).then(load, reportError);
  const choose = useChooseFolder();
  const native = info.capabilities.nativeDialogs;
  const write = async () => {
    setBusy(true);
    try {
      let folder: FolderChoice = dir.trim();
      if (native) {
        // The desktop app writes only into the folder chosen now, in the system's dialog.
        const chosen = await choose('documents', t('documents.dialogTitle'));
        if (chosen?.kind !== 'chosen') return;
        folder = { handle: chosen.handle };
      }
      setWritten(await client.call('documents.writePdfs', { batchId: props.batchId, dir: folder }));
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  };
  const docs = list?.documents ?? [];
  const shown = docs.slice(0, 200);
  return (
    <details className="intake-section" data-testid="documents-section" open={list?.rule ? true : undefined}>
      <summary>
        <strong>{t('documents.title')}</strong>{' '}
        <span className="muted" data-testid="documents-count">
          {list?.rule ? t('documents.count', { count: docs.length }) : t('documents.none')}
        </span>
      </summary>
      <form className="intake-form" onSubmit={apply} data-testid="separation-form">
        <div className="segmented" role="radiogroup" aria-label={t('documents.rule')}>
          <button type="button" className="seg" aria-pressed={kind === 'code'} onClick={() => setKind('code')} data-testid="rule-code">
            {t('documents.byCode')}
          </button>
          <button type="button" className="seg" aria-pressed={kind === 'every'} onClick={() => setKind('every')} data-testid="rule-every">
            {t('documents.everyN')}
          </button>
        </div>
        {kind === 'code' ? (
          <>
            <label className="field grow">
              <span>{t('documents.pattern')}</span>
              <input value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder="^DOC-" maxLength={500} spellCheck={false} data-testid="rule-pattern" />
            </label>
            <label className="check">
              <input type="checkbox" checked={drop} onChange={(e) => setDrop(e.target.checked)} data-testid="rule-drop" /> {t('documents.drop')}
            </label>
          </>
        ) : (
          <label className="field">
            <span>{t('documents.pages')}</span>
            <input type="number" min={1} value={pages} onChange={(e) => setPages(e.target.value)} data-testid="rule-pages" />
          </label>
        )}
        <label className="field">
          <span>{t('documents.template')}</span>
          <input value={template} onChange={(e) => setTemplate(e.target.value)} maxLength={200} spellCheck={false} data-testid="rule-template" />
        </label>
        <div className="row">
          <button type="submit" className="btn primary" data-testid="rule-apply">
            {t('documents.apply')}
          </button>
          {list?.rule && (
            <button type="button" className="btn" onClick={() => void remove()} data-testid="rule-remove">
              {t('documents.remove')}
            </button>
          )}
        </div>
        <p className="muted small">{t('documents.hint')}</p>
      </form>
      {docs.length > 0 && (
        <>
          <div className="row intake-write">
            {!native && (
              <input
                className="grow"
                value={dir}
                onChange={(e) => setDir(e.target.value)}
                placeholder={t('documents.folderPlaceholder')}
                aria-label={t('documents.folder')}
                data-testid="documents-dir"
              />
            )}
            <button type="button" className="btn" disabled={busy || (!native && dir.trim() === '')} onClick={() => void write()} data-testid="documents-write">
              {native ? t('documents.writeTo') : t('documents.write')}
            </button>
          </div>
          {written && (
            <p className="note" role="status" data-testid="documents-written">
              {t('documents.written', { count: written.filter((w) => w.path).length, total: written.length })}
              {written
                .filter((w) => w.error)
                .slice(0, 5)
                .map((w) => (
                  <span key={w.n} className="block small">
                    {w.fileName}: {w.error!.message}
                  </span>
                ))}
            </p>
          )}
          <ol className="documents" data-testid="documents-list">
            {shown.map((d) => (
              <li key={d.n} className="document" data-testid="document" data-key={d.key ?? ''}>
                <div className="document-head">
                  <strong>{t('documents.document', { n: d.n })}</strong>
                  <code className="document-key">{d.key ?? t('documents.noKey')}</code>
                  <span className="muted small">
                    {t('documents.pagesCount', { count: d.pages.length })} · {d.fileName}
                    {d.pending > 0 ? ` · ${t('documents.pending', { count: d.pending })}` : ''}
                  </span>
                </div>
                <div className="document-pages">
                  {d.separator && (
                    <button type="button" className="doc-thumb separator" title={t('documents.separator')} onClick={() => props.onOpenItem(d.separator!.itemId)}>
                      <img src={client.mediaUrl('thumb', d.separator.itemId)} alt={t('documents.separator')} loading="lazy" />
                    </button>
                  )}
                  {d.pages.slice(0, 24).map((p) => (
                    <button key={p.itemId} type="button" className="doc-thumb" title={`${p.path.split(/[\\/]/).pop()} · ${p.page}`} onClick={() => props.onOpenItem(p.itemId)}>
                      <img src={client.mediaUrl('thumb', p.itemId)} alt="" loading="lazy" />
                    </button>
                  ))}
                  {d.pages.length > 24 && <span className="muted small">+{d.pages.length - 24}</span>}
                </div>
              </li>
            ))}
          </ol>
          {docs.length > shown.length && <p className="muted small">{t('documents.more', { count: docs.length - shown.length })}</p>}
        </>
      )}
    </details>
  );
}
