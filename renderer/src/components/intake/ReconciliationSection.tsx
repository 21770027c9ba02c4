import { useCallback, useEffect, useRef, useState } from 'react';
import type { Reconciliation, ReconciledValue } from '../../../../shared/reconciliation';
import type { RequestOutput } from '../../../../shared/contract';
import { useApp } from '../../api/context';

type Kind = 'found' | 'missing' | 'unexpected' | 'duplicates';
const KINDS: readonly Kind[] = ['found', 'missing', 'unexpected', 'duplicates'];

/**
 * The batch against its expected list: import a CSV or XLSX column (read here, sent as bytes,
 * so it works the same in the desktop app and the browser) or paste values; then found,
 * missing, unexpected and duplicate values, each page a click away.
 */
export function ReconciliationSection(props: { batchId: number; version: number; onOpenItem: (itemId: number) => void }) {
  const { client, t, reportError, notify } = useApp();
  const [rec, setRec] = useState<RequestOutput<'reconciliation.get'>>(null);
  const [column, setColumn] = useState('');
  const [pasted, setPasted] = useState('');
  const fileRef = useRef<HTMLInputElement>(null);

  const load = useCallback(() => {
    client.call('reconciliation.get', { batchId: props.batchId }).then(setRec, reportError);
  }, [client, props.batchId, reportError]);
  useEffect(load, [load, props.version]);

  const importFile = async (file: File) => {
    const bytesBase64 = await toBase64(file);
    const r = await client.call('expected.import', { batchId: props.batchId, fileName: file.name, bytesBase64, ...(column.trim() ? { column: column.trim() } : {}) });
    notify(t('expected.imported', { count: r.list.count, column: r.list.column, repeated: r.repeated }));
    load();
  };
  const applyPasted = () =>
    client
      .call('expected.set', { batchId: props.batchId, values: pasted.split(/\r?\n/).filter((v) => v.trim() !== '') })
      .then(() => {
        setPasted('');
        load();
      }, reportError);
  const remove = () => client.call('expected.set', { batchId: props.batchId, values: null }).then(load, reportError);

  const result: Reconciliation | null = rec?.result ?? null;
  return (
    <details className="intake-section" data-testid="reconciliation-section" open={rec ? true : undefined}>
      <summary>
        <strong>{t('expected.title')}</strong>{' '}
        <span className="muted">{rec ? t('expected.from', { source: rec.list.source, column: rec.list.column, count: rec.list.count }) : t('expected.none')}</span>
      </summary>
      {result && (
        <div className="recon" data-testid="reconciliation">
          {KINDS.map((k) => (
            <ValueList key={k} kind={k} values={result[k]} onOpenItem={props.onOpenItem} />
          ))}
        </div>
      )}
      <div className="intake-form">
        <div className="row">
          <label className="field">
            <span>{t('expected.column')}</span>
            <input value={column} onChange={(e) => setColumn(e.target.value)} placeholder={t('expected.columnPlaceholder')} maxLength={255} data-testid="expected-column" />
          </label>
          <label className="field grow">
            <span>{t('expected.file')}</span>
            <input
              ref={fileRef}
              type="file"
              accept=".csv,.txt,.tsv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
              data-testid="expected-file"
              onChange={(e) => {
                const f = e.target.files?.[0];
                if (f) void importFile(f).catch(reportError).finally(() => fileRef.current && (fileRef.current.value = ''));
              }}
            />
          </label>
        </div>
        <label className="field">
          <span>{t('expected.paste')}</span>
          <textarea rows={3} value={pasted} onChange={(e) => setPasted(e.target.value)} spellCheck={false} data-testid="expected-paste" />
        </label>
        <div className="row">
          <button type="button" className="btn" disabled={pasted.trim() === ''} onClick={() => void applyPasted()} data-testid="expected-use-pasted">
            {t('expected.usePasted')}
          </button>
          {rec && (
            <button type="button" className="btn" onClick={() => void remove()} data-testid="expected-remove">
              {t('expected.remove')}
            </button>
          )}
        </div>
      </div>
    </details>
  );
}

function ValueList(props: { kind: Kind; values: ReconciledValue[]; onOpenItem: (itemId: number) => void }) {
  const { t } = useApp();
  const { kind, values } = props;
  return (
    <details className={`recon-kind recon-${kind}`} data-testid={`recon-${kind}`} data-count={values.length}>
      <summary>
        <span className="recon-count">{values.length}</span> {t(`expected.${kind}`)}
      </summary>
      <ul className="recon-values">
        {values.slice(0, 500).map((v) => (
          <li key={v.value}>
            <code>{v.value}</code>
            {v.pages.slice(0, 10).map((p) => (
              <button key={p.itemId} type="button" className="btn link small" onClick={() => props.onOpenItem(p.itemId)}>
                {p.path.split(/[\\/]/).pop()}
                {p.page > 1 ? ` p. ${p.page}` : ''}
              </button>
            ))}
          </li>
        ))}
      </ul>
    </details>
  );
}

function toBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onerror = () => reject(r.error ?? new Error('The file could not be read.'));
    r.onload = () => resolve(String(r.result).replace(/^data:[^,]*,/, ''));
    r.readAsDataURL(file);
  });
}
