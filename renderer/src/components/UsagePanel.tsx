import './usage.css';
import { useCallback, useEffect, useState } from 'react';
import type { EngineId } from '../../../shared/engines';
import type { OperationUsage, UsageSummary } from '../../../shared/usage';
import { useApp } from '../api/context';
import { engineLabel } from '../logic/engines';
import { formatBytes } from '../logic/usage';

/**
 * Settings → Usage: today's and this month's calls per vendor, account (masked) and operation:
 * calls, billable calls, errors, bytes sent.
 */
export function UsagePanel() {
  const { client, t, reportError } = useApp();
  const [summary, setSummary] = useState<UsageSummary | null>(null);
  const load = useCallback(() => {
    client.call('usage.summary').then(setSummary, reportError);
  }, [client, reportError]);
  useEffect(load, [load]);

  return (
    <section className="usage-panel" aria-labelledby="usage-heading" data-testid="usage-panel">
      <div className="row spread">
        <h3 id="usage-heading">{t('usage.heading')}</h3>
        <button type="button" className="btn small" onClick={load} data-testid="usage-refresh">
          {t('usage.refresh')}
        </button>
      </div>
      <p className="muted">{t('usage.intro')}</p>
      {summary && summary.vendors.length === 0 && <p className="muted" data-testid="usage-none">{t('usage.none')}</p>}
      {summary?.vendors.map((v) =>
        v.accounts.map((a) => (
          <div key={`${v.vendor}:${a.label}`} className="usage-account" data-testid="usage-account" data-vendor={v.vendor}>
            <h4>
              {t(engineLabel(v.vendor as EngineId))} <span className="muted small">{a.label ? t('usage.account', { label: a.label }) : t('usage.noAccount')}</span>
            </h4>
            <div className="usage-tables">
              <UsageTable caption={t('usage.today', { day: summary.day })} rows={a.today} testId="usage-today" />
              <UsageTable caption={t('usage.month', { month: summary.month })} rows={a.month} testId="usage-month" />
            </div>
          </div>
        )),
      )}
    </section>
  );
}

function UsageTable(props: { caption: string; rows: OperationUsage[]; testId: string }) {
  const { t } = useApp();
  return (
    <table className="usage-table" data-testid={props.testId}>
      <caption>{props.caption}</caption>
      <thead>
        <tr>
          <th scope="col">{t('usage.col.operation')}</th>
          <th scope="col">{t('usage.col.calls')}</th>
          <th scope="col">{t('usage.col.billable')}</th>
          <th scope="col">{t('usage.col.errors')}</th>
          <th scope="col">{t('usage.col.bytes')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.length === 0 && (
          <tr>
            <td colSpan={5} className="muted">
              {t('usage.none')}
            </td>
          </tr>
        )}
        {props.rows.map((o) => (
          <tr key={o.operation} data-operation={o.operation} data-calls={o.calls} data-billable={o.billable} data-errors={o.errors}>
            <th scope="row" className="mono">
              {o.operation}
            </th>
            <td>{o.calls}</td>
            <td>{o.billable}</td>
            <td>{o.errors}</td>
            <td>{o.bytesSent ? formatBytes(o.bytesSent) : '–'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
