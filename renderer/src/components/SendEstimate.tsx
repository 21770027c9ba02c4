import './usage.css';
import type { BatchEstimate } from '../../../shared/usage';
import type { EngineId } from '../../../shared/engines';
import { useApp } from '../api/context';
import { engineLabel } from '../logic/engines';

/**
 * "This batch sends N pages to <vendor>", shown in the new-batch dialog before anything is
 * sent, with the daily quotas the batch would exceed; the user sends or goes back.
 */
export function SendEstimate(props: { estimate: BatchEstimate; busy: boolean; onConfirm: () => void; onBack: () => void }) {
  const { t, locale } = useApp();
  const vendor = (id: string) => t(engineLabel(id as EngineId));
  const { estimate } = props;
  return (
    <div className="send-estimate" role="alertdialog" aria-labelledby="send-estimate-title" data-testid="send-estimate">
      <h3 id="send-estimate-title">{t('send.title')}</h3>
      <ul>
        {estimate.vendors.map((v) => (
          <li key={v.vendor} data-testid="send-vendor" data-vendor={v.vendor} data-pages={v.pages} data-stored={v.stored}>
            {t(v.upTo ? 'send.pagesUpTo' : 'send.pages', { count: v.pages, vendor: vendor(v.vendor) })}
            {v.stored > 0 && <> {t('send.stored', { count: v.stored })}</>}
          </li>
        ))}
      </ul>
      {estimate.warnings.map((w) => (
        <p key={`${w.vendor}:${w.operation}`} className="note warn" role="status" data-testid="send-quota">
          {t('send.quota', {
            vendor: vendor(w.vendor),
            operation: w.operation,
            perDay: w.perDay,
            left: w.left,
            needed: w.needed,
            time: new Date(w.resetsAt).toLocaleString(locale, { dateStyle: 'short', timeStyle: 'short' }),
          })}
        </p>
      ))}
      <div className="actions">
        <button type="button" className="btn" onClick={props.onBack} data-testid="send-back">
          {t('send.back')}
        </button>
        <button type="button" className="btn primary" onClick={props.onConfirm} disabled={props.busy} data-testid="send-confirm" autoFocus>
          {t('send.confirm')}
        </button>
      </div>
    </div>
  );
}
