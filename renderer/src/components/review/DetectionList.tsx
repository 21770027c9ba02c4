import { useEffect, useRef, type ReactNode } from 'react';
import type { ItemDetail } from '../../../../shared/batch';
import type { DetectionEngine, StoredDetection } from '../../../../shared/detection';
import { useApp } from '../../api/context';
import { foundBy, isPersonalData, maskPersonal } from '../../logic/engines';
import { errorText } from '../../logic/error-text';
import { EditForm } from './EditForm';
import { IdCardPanel } from '../idcard/IdCardPanel';
import { pageBreakLabels, ruleBreakLabel } from '../../logic/rule-text';
import { detectionLabel } from '../idcard/field-label';

/**
 * The page's detections beside the stage: engine chips (show/hide an engine, reveal ID
 * numbers), one row per detection with its value, verdict and actions, and the value editor
 * in the selected row. The selected row is kept scrolled into view.
 */
export function DetectionList(props: {
  detail: ItemDetail | null;
  all: StoredDetection[];
  detections: StoredDetection[];
  enginesOnPage: DetectionEngine[];
  hiddenEngines: ReadonlySet<DetectionEngine>;
  onToggleEngine: (e: DetectionEngine) => void;
  reveal: boolean;
  onRevealPersonal?: (reveal: boolean) => void;
  selected: number;
  editing: boolean;
  hover: number | null;
  onHover: (id: number | null) => void;
  onSelect: (index: number) => void;
  onVerdict: (d: StoredDetection, index: number, review: 'accepted' | 'rejected') => void;
  onEdit: (index: number) => void;
  onSave: (d: StoredDetection, value: string) => void;
  onCancelEdit: () => void;
  /** Above the rows: the form of a code being drawn by hand. */
  children?: ReactNode;
}) {
  const { t, locale } = useApp();
  const { detail, detections, all, reveal } = props;
  const rowRefs = useRef(new Map<number, HTMLElement>());
  const hasPersonal = all.some(isPersonalData);
  const shown = (d: StoredDetection, value: string) => (isPersonalData(d) && !reveal ? maskPersonal(value) : value);
  const currentId = detections[props.selected]?.id;

  useEffect(() => {
    if (currentId !== undefined) rowRefs.current.get(currentId)?.scrollIntoView({ block: 'nearest' });
  }, [currentId]);

  return (
    <aside className="side" aria-label={t('review.detections', { count: detections.length })}>
      <h3>{t('review.detections', { count: detections.length })}</h3>
      {(props.enginesOnPage.length > 1 || props.hiddenEngines.size > 0 || hasPersonal) && (
        <div className="engine-filter" role="group" aria-label={t('review.engines')} data-testid="engine-filter">
          {props.enginesOnPage.map((e) => (
            <button
              key={e}
              type="button"
              className={`chip engine-${e}`}
              aria-pressed={!props.hiddenEngines.has(e)}
              onClick={() => props.onToggleEngine(e)}
              data-testid={`engine-toggle-${e}`}
            >
              <span className="swatch" aria-hidden="true" />
              {t(`engineShort.${e}`)} ({all.filter((d) => foundBy(d).includes(e)).length})
            </button>
          ))}
          {hasPersonal && props.onRevealPersonal && (
            <button type="button" className="chip reveal" aria-pressed={reveal} onClick={() => props.onRevealPersonal?.(!reveal)} data-testid="reveal-personal">
              {reveal ? t('review.hidePersonal') : t('review.revealPersonal')}
            </button>
          )}
        </div>
      )}
      <IdCardPanel key={detail?.id} detections={all} />
      {detail?.rule && detail.rule.page.length > 0 && (
        <p className="rule-break" role="status" data-testid="page-rule-break" title={t('rules.pageBreaks')}>
          ⚠ {pageBreakLabels(detail, t).join('; ')}
        </p>
      )}
      {props.children}
      {detail?.checkedNoCode && (
        <p className="checked-note" data-testid="checked-no-code">
          ✓ {t('manual.checked')}
        </p>
      )}
      {detail && detections.length === 0 && !detail.error && detail.status === 'done' && !detail.checkedNoCode && <p className="muted">{t('review.noDetections')}</p>}
      {detail?.error && <p className="error-text">{errorText(detail.error, t, locale)}</p>}
      <ul className="det-list" role="listbox" aria-label={t('review.detections', { count: detections.length })}>
        {detections.map((d, i) => (
          <li
            key={d.id}
            ref={(el) => {
              if (el) rowRefs.current.set(d.id, el);
              else rowRefs.current.delete(d.id);
            }}
            role="option"
            aria-selected={i === props.selected}
            className={`det ${i === props.selected ? 'current' : ''} ${props.hover === d.id ? 'hover' : ''} ${d.review}`}
            data-testid="detection"
            data-detection-id={d.id}
            data-review={d.review}
            data-engine={d.engine}
            onMouseEnter={() => props.onHover(d.id)}
            onMouseLeave={() => props.onHover(null)}
            onClick={() => props.onSelect(i)}
          >
            <div className="det-top">
              <span className={`engine-tag engine-${d.engine}`} data-testid="detection-engine">
                {t(`engineShort.${d.engine}`)}
              </span>
              <span className="symbology" data-field={d.field}>
                {detectionLabel(d, locale)}
              </span>
              <span className={`review-status ${d.review}`}>{t(`review.status.${d.review}`)}</span>
            </div>
            {foundBy(d).length > 1 && (
              <div className="muted small" data-testid="found-by">
                {t('review.foundBy', { engines: foundBy(d).map((e) => t(`engineShort.${e}`)).join(', ') })}
              </div>
            )}
            {d.rule && !d.rule.ok && (
              <div className="rule-break small" data-testid="rule-break" title={t('rules.pageBreaks')}>
                ⚠ {d.rule.breaks.map((b) => ruleBreakLabel(b, t)).join('; ')}
              </div>
            )}
            {d.disagrees && (
              <div className="disagrees small" data-testid="disagrees">
                {t('review.disagrees')}
              </div>
            )}
            {props.editing && i === props.selected ? (
              <EditForm initial={d.correctedText ?? d.text} onSave={(value) => props.onSave(d, value)} onCancel={props.onCancelEdit} />
            ) : (
              <div
                className="value mono"
                data-testid="detection-value"
                data-masked={isPersonalData(d) && !reveal ? 'true' : undefined}
                title={isPersonalData(d) && !reveal ? t('review.maskedHint') : undefined}
              >
                {shown(d, d.correctedText ?? d.text)}
              </div>
            )}
            {d.correctedText !== null && <div className="muted small original">{t('review.original', { value: shown(d, d.text) })}</div>}
            {d.geometry.kind === 'none' && <div className="muted small">{t('review.noPosition')}</div>}
            {productName(d) && (
              <div className="muted small" data-testid="detection-product">
                {productName(d)}
              </div>
            )}
            <div className="det-actions">
              <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); props.onVerdict(d, i, 'accepted'); }} title={`${t('review.accept')} (A)`}>
                {t('review.accept')}
              </button>
              <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); props.onVerdict(d, i, 'rejected'); }} title={`${t('review.reject')} (R)`}>
                {t('review.reject')}
              </button>
              <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); props.onEdit(i); }} title={`${t('review.edit')} (E)`}>
                {t('review.edit')}
              </button>
            </div>
          </li>
        ))}
      </ul>
    </aside>
  );
}

/** Product data a vendor added to an EAN/UPC code (Tencent QueryBarCode), as one line. */
function productName(d: StoredDetection): string | null {
  const p = d.extra?.product as { ProductName?: unknown; BrandName?: unknown } | undefined;
  if (!p || typeof p.ProductName !== 'string' || !p.ProductName) return null;
  return typeof p.BrandName === 'string' && p.BrandName ? `${p.ProductName} · ${p.BrandName}` : p.ProductName;
}
