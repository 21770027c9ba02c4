import { batchOutcome, type BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { ProgressBar } from './ProgressBar';
import { LOCALES, LOCALE_NAMES, type Locale } from '../i18n/i18n';
import type { Settings, SharedQueueStatus } from '../../../shared/contract';
import { QueueSwitch } from './shared-queue/QueueSwitch';

const THEMES: Settings['theme'][] = ['system', 'light', 'dark'];

export function Sidebar(props: {
  batches: BatchSummary[];
  loaded: boolean;
  selectedId: number | null;
  onSelect: (id: number) => void;
  onNew: () => void;
  onLocale: (l: Locale) => void;
  theme: Settings['theme'];
  onTheme: (t: Settings['theme']) => void;
  onSettings: () => void;
  settingsOpen: boolean;
  sharedQueue: SharedQueueStatus | null;
}) {
  const { t, locale } = useApp();
  return (
    <aside className="sidebar" aria-label={t('batches.heading')}>
      <div className="sidebar-head">
        <h1 className="brand">{t('app.title')}</h1>
        <button type="button" className="btn primary" onClick={props.onNew} data-testid="new-batch">
          {t('batches.new')}
        </button>
      </div>
      <h2 className="sidebar-title">{t('batches.heading')}</h2>
      <QueueSwitch status={props.sharedQueue} />
      {props.loaded && props.batches.length === 0 ? (
        <div className="empty small">
          <p className="empty-title">{t('batches.empty.title')}</p>
          <p>{t('batches.empty.body')}</p>
        </div>
      ) : (
        <ul className="batch-list" role="listbox" aria-label={t('batches.heading')}>
          {props.batches.map((b) => (
            <li
              key={b.id}
              role="option"
              aria-selected={b.id === props.selectedId}
              tabIndex={0}
              className={`batch-row ${b.id === props.selectedId ? 'selected' : ''}`}
              data-testid="batch-row"
              data-batch-id={b.id}
              data-status={b.status}
              data-outcome={batchOutcome(b)}
              onClick={() => props.onSelect(b.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  props.onSelect(b.id);
                }
              }}
            >
              <div className="batch-row-top">
                <span className="batch-name" title={b.name}>
                  {b.name}
                </span>
                <span className={`status status-${batchOutcome(b)}`} data-testid="batch-row-status">
                  {t(`batches.status.${batchOutcome(b)}`)}
                </span>
              </div>
              <ProgressBar counts={b.counts} />
              <div className="batch-row-meta">
                <span>{t('grid.pages', { count: b.counts.total })}</span>
                <span>{t('batches.codes', { count: b.counts.codes })}</span>
              </div>
            </li>
          ))}
        </ul>
      )}
      <div className="sidebar-foot">
        <button type="button" className="btn" aria-pressed={props.settingsOpen} onClick={props.onSettings} data-testid="open-settings">
          ⚙ {t('settings.open')}
        </button>
        <label className="inline-field">
          <span>{t('app.language')}</span>
          <select value={locale} onChange={(e) => props.onLocale(e.target.value as Locale)} data-testid="language">
            {LOCALES.map((l) => (
              <option key={l} value={l}>
                {LOCALE_NAMES[l]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-field">
          <span>{t('app.theme')}</span>
          <select value={props.theme} onChange={(e) => props.onTheme(e.target.value as Settings['theme'])} data-testid="theme">
            {THEMES.map((th) => (
              <option key={th} value={th}>
                {t(`theme.${th}`)}
              </option>
            ))}
          </select>
        </label>
      </div>
    </aside>
  );
}
