import { useCallback, useEffect, useLayoutEffect, useReducer, useRef, useState } from 'react';
import type { BatchSummary, ItemDetail } from '../../../shared/batch';
import type { ReviewStatus, StoredDetection } from '../../../shared/detection';
import { useApp } from '../api/context';
import { pageLabel } from '../logic/items';
import { ENGINE_IDS, type EngineId } from '../../../shared/engines';
import { isPersonalData, maskPersonal } from '../logic/engines';
import { initialReview, keyAction, reviewReducer, SHORTCUTS } from '../state/review';
import {
  ZOOM_STEP,
  fitView,
  labelAnchor,
  outlineOnScreen,
  panBy,
  revealPoints,
  svgPoints,
  wheelZoomFactor,
  zoomAt,
  type Size,
  type View,
} from '../logic/view-geometry';
import type { GridQuery } from './BatchView';
import { Modal } from './Modal';

/**
 * One page at full quality with every detection outlined, and the list of detections beside
 * it. Everything works from the keyboard (see state/review.ts); verdicts and corrections are
 * saved through the contract as soon as they are made.
 */
export function ReviewView(props: {
  batch: BatchSummary;
  query: GridQuery;
  index: number;
  total: number;
  onClose: () => void;
  /** Show ID numbers in full (a per-session choice; masked by default). */
  revealPersonal?: boolean;
  onRevealPersonal?: (reveal: boolean) => void;
}) {
  const { client, t, reportError } = useApp();
  const [state, dispatch] = useReducer(reviewReducer, initialReview, () =>
    reviewReducer(initialReview, { type: 'open', index: props.index, total: props.total }),
  );
  const [detail, setDetail] = useState<ItemDetail | null>(null);
  const [natural, setNatural] = useState<Size | null>(null);
  const [imageFailed, setImageFailed] = useState(false);
  const [viewport, setViewport] = useState<Size>({ width: 0, height: 0 });
  const [view, setView] = useState<View | null>(null);
  const [hover, setHover] = useState<number | null>(null);
  const [draft, setDraft] = useState('');
  const [spaceDown, setSpaceDown] = useState(false);
  const stageRef = useRef<HTMLDivElement>(null);
  const rowRefs = useRef(new Map<number, HTMLElement>());
  const { batch, query } = props;
  // Bumped when the page in view leaves the filtered list (the last code on it reviewed while
  // showing "needs review"): the same index then holds the next page, like an inbox.
  const [reload, setReload] = useState(0);
  const detailRef = useRef<ItemDetail | null>(null);
  detailRef.current = detail;
  // Engines whose detections are hidden (outlines and list), kept while paging.
  const [hiddenEngines, setHiddenEngines] = useState<ReadonlySet<EngineId>>(new Set());
  const hiddenRef = useRef(hiddenEngines);
  hiddenRef.current = hiddenEngines;

  // Load the page at the cursor (its id via the same filtered list the grid shows).
  useEffect(() => {
    let live = true;
    (async () => {
      const list = await client.call('items.list', {
        batchId: batch.id,
        filter: query.filter,
        ...(query.search ? { search: query.search } : {}),
        offset: state.index,
        limit: 1,
      });
      if (!live) return;
      if (list.total !== state.total) dispatch({ type: 'total', total: list.total });
      const item = list.items[0];
      if (!item) {
        setDetail(null);
        return;
      }
      const d = await client.call('items.get', { itemId: item.id });
      if (!live) return;
      const samePage = detailRef.current?.id === d.id;
      setDetail(d);
      setImageFailed(false);
      setNatural(null);
      setView(null);
      dispatch({ type: 'pageLoaded', detectionCount: d.detections.filter((x) => !hiddenRef.current.has(x.engine)).length });
      if (!samePage) dispatch({ type: 'selectDetection', detection: 0 });
      // Warm the next page's preview so J shows it at once.
      if (state.index + 1 < list.total) {
        const next = await client.call('items.list', {
          batchId: batch.id,
          filter: query.filter,
          ...(query.search ? { search: query.search } : {}),
          offset: state.index + 1,
          limit: 1,
        });
        const n = next.items[0];
        if (live && n && n.status !== 'skipped') new Image().src = client.mediaUrl('preview', n.id);
      }
    })().catch((e: unknown) => live && reportError(e));
    return () => {
      live = false;
    };
    // state.total is deliberately not a dependency: a changed total must not reload the page.
  }, [client, batch.id, query.filter, query.search, state.index, reload, reportError]);

  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = () => setViewport({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Page pixels are what detections are stored in; the preview may be a smaller copy.
  const page: Size | null = detail?.width && detail.height ? { width: detail.width, height: detail.height } : natural;

  const fit = useCallback(() => {
    if (page && viewport.width > 0) setView(fitView(page, viewport));
  }, [page?.width, page?.height, viewport.width, viewport.height]);

  useEffect(() => {
    if (!view) fit();
  }, [view, fit]);

  const allDetections = detail?.detections ?? [];
  // Each engine's detections side by side: grouped in engine order, stored order within.
  const enginesOnPage = ENGINE_IDS.filter((e) => allDetections.some((d) => d.engine === e));
  const detections = enginesOnPage.flatMap((e) => (hiddenEngines.has(e) ? [] : allDetections.filter((d) => d.engine === e)));
  const hasPersonal = allDetections.some(isPersonalData);
  const reveal = !!props.revealPersonal;
  const shown = (d: StoredDetection, value: string) => (isPersonalData(d) && !reveal ? maskPersonal(value) : value);

  const toggleEngine = (e: EngineId) => {
    const next = new Set(hiddenEngines);
    if (next.has(e)) next.delete(e);
    else next.add(e);
    setHiddenEngines(next);
    dispatch({ type: 'pageLoaded', detectionCount: allDetections.filter((d) => !next.has(d.engine)).length });
    dispatch({ type: 'selectDetection', detection: 0 });
  };
  const current: StoredDetection | undefined = state.detection >= 0 ? detections[state.detection] : undefined;

  // Tab through detections: bring the selected one into view and focus its row.
  useEffect(() => {
    if (!current) return;
    rowRefs.current.get(current.id)?.scrollIntoView({ block: 'nearest' });
    if (view && current.geometry.kind !== 'none') {
      const next = revealPoints(view, current.geometry.points, viewport);
      if (next !== view) setView(next);
    }
  }, [current?.id]);

  const saveReview = useCallback(
    async (d: StoredDetection, change: { review?: ReviewStatus; correctedText?: string | null }) => {
      try {
        const saved = await client.call('detections.review', { detectionId: d.id, ...change });
        setDetail((cur) => (cur ? { ...cur, detections: cur.detections.map((x) => (x.id === saved.id ? saved : x)) } : cur));
        const others = detailRef.current?.detections.filter((x) => x.id !== saved.id) ?? [];
        if (query.filter === 'needs-review' && saved.review !== 'pending' && others.every((x) => x.review !== 'pending')) {
          setReload((n) => n + 1);
        }
      } catch (e) {
        reportError(e);
      }
    },
    [client, reportError, query.filter],
  );

  const verdict = useCallback(
    (review: ReviewStatus) => {
      if (!current) return;
      void saveReview(current, { review });
      // Move on, like a mail client after archiving, but never wrap to the start.
      if (state.detection + 1 < state.detectionCount) dispatch({ type: 'nextDetection' });
    },
    [current, saveReview, state.detection, state.detectionCount],
  );

  const startEdit = useCallback(() => {
    if (!current) return;
    setDraft(current.correctedText ?? current.text);
    dispatch({ type: 'edit' });
  }, [current]);

  const zoomBy = useCallback(
    (factor: number) => {
      setView((v) => (v ? zoomAt(v, factor, { x: viewport.width / 2, y: viewport.height / 2 }) : v));
    },
    [viewport.width, viewport.height],
  );

  const { onClose } = props;
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (document.querySelector('dialog[open]:not(.help-dialog)')) return;
      const target = e.target as HTMLElement | null;
      const inTextField = !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (e.key === ' ' && !inTextField && target?.tagName !== 'BUTTON' && target?.tagName !== 'A') {
        setSpaceDown(true);
        e.preventDefault();
        return;
      }
      const cmd = keyAction({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inTextField });
      if (!cmd) return;
      // With the shortcut list open, only ? and Esc (which close it) act.
      if (state.help && cmd !== 'help' && cmd !== 'close') return;
      // Buttons keep their own Enter/Space.
      if (e.key === 'Enter' && target?.tagName === 'BUTTON') return;
      e.preventDefault();
      switch (cmd) {
        case 'nextPage':
          return dispatch({ type: 'nextPage' });
        case 'prevPage':
          return dispatch({ type: 'prevPage' });
        case 'nextDetection':
          return dispatch({ type: 'nextDetection' });
        case 'prevDetection':
          return dispatch({ type: 'prevDetection' });
        case 'accept':
          return verdict('accepted');
        case 'reject':
          return verdict('rejected');
        case 'edit':
          return startEdit();
        case 'zoomIn':
          return zoomBy(ZOOM_STEP);
        case 'zoomOut':
          return zoomBy(1 / ZOOM_STEP);
        case 'fit':
          return fit();
        case 'help':
          return dispatch({ type: 'toggleHelp' });
        case 'close':
          if (state.help) return dispatch({ type: 'closeHelp' });
          if (state.editing) return dispatch({ type: 'endEdit' });
          return onClose();
      }
    }
    function onKeyUp(e: KeyboardEvent) {
      if (e.key === ' ') setSpaceDown(false);
    }
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, [verdict, startEdit, zoomBy, fit, onClose, state.help, state.editing]);

  // Wheel zooms at the cursor. A native listener: React's wheel handler cannot preventDefault.
  useEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    function onWheel(e: WheelEvent) {
      e.preventDefault();
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      const anchor = { x: e.clientX - r.left, y: e.clientY - r.top };
      setView((v) => (v ? zoomAt(v, wheelZoomFactor(e.deltaY), anchor) : v));
    }
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, []);

  const drag = useRef<{ x: number; y: number; id: number } | null>(null);

  const outlines = view
    ? detections.map((d, i) => ({ d, i, pts: outlineOnScreen(d.geometry, view) }))
    : [];
  const noPosition = detections.some((d) => d.geometry.kind === 'none');

  return (
    <section
      className="review"
      aria-label={t('review.title')}
      data-testid="review"
      data-item-id={detail?.id}
      data-ready={detail && view && page && (natural || imageFailed) ? 'true' : 'false'}
    >
      <header className="view-head">
        <div className="toolbar" role="toolbar" aria-label={t('review.title')}>
          <button type="button" className="btn" onClick={props.onClose} data-testid="review-back">
            ← {t('review.back')}
          </button>
          <button type="button" className="btn icon" onClick={() => dispatch({ type: 'prevPage' })} disabled={state.index === 0} aria-label={t('review.prevPage')} title={`${t('review.prevPage')} (K)`}>
            ‹
          </button>
          <span className="page-pos" data-testid="review-pos" aria-live="polite">
            {t('review.page', { index: state.index + 1, total: state.total })}
          </span>
          <button type="button" className="btn icon" onClick={() => dispatch({ type: 'nextPage' })} disabled={state.index + 1 >= state.total} aria-label={t('review.nextPage')} title={`${t('review.nextPage')} (J)`}>
            ›
          </button>
          {detail && (
            <span className="page-name" title={detail.path}>
              {pageLabel(detail)}
            </span>
          )}
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('review.fit')}>
          <button type="button" className="btn icon" onClick={() => zoomBy(1 / ZOOM_STEP)} aria-label={t('review.zoomOut')} title={`${t('review.zoomOut')} (−)`}>
            −
          </button>
          <span className="zoom" data-testid="zoom">
            {view ? `${Math.round(view.zoom * 100)}%` : '—'}
          </span>
          <button type="button" className="btn icon" onClick={() => zoomBy(ZOOM_STEP)} aria-label={t('review.zoomIn')} title={`${t('review.zoomIn')} (+)`}>
            +
          </button>
          <button type="button" className="btn" onClick={fit} title={`${t('review.fit')} (0)`}>
            {t('review.fit')}
          </button>
          <button type="button" className="btn icon" onClick={() => dispatch({ type: 'toggleHelp' })} aria-label={t('app.shortcuts')} title={`${t('app.shortcuts')} (?)`}>
            ?
          </button>
        </div>
      </header>
      <div className="review-body">
        <div
          ref={stageRef}
          className={`stage ${spaceDown ? 'grab' : ''}`}
          data-testid="stage"
          onPointerDown={(e) => {
            if (e.button !== 0 && e.button !== 1) return;
            drag.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
            e.currentTarget.setPointerCapture(e.pointerId);
          }}
          onPointerMove={(e) => {
            const d = drag.current;
            if (!d || d.id !== e.pointerId) return;
            const dx = e.clientX - d.x;
            const dy = e.clientY - d.y;
            drag.current = { x: e.clientX, y: e.clientY, id: d.id };
            setView((v) => (v ? panBy(v, dx, dy) : v));
          }}
          onPointerUp={() => (drag.current = null)}
          onPointerCancel={() => (drag.current = null)}
        >
          {detail && !imageFailed && (
            <img
              key={detail.id}
              className={`page-image ${view && page && natural && (view.zoom * page.width) / natural.width >= 2 ? 'pixels' : ''}`}
              data-testid="page-image"
              src={client.mediaUrl('preview', detail.id)}
              alt={pageLabel(detail)}
              draggable={false}
              onLoad={(e) => setNatural({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
              onError={() => setImageFailed(true)}
              style={
                view && page
                  ? { left: view.panX, top: view.panY, width: page.width * view.zoom, height: page.height * view.zoom }
                  : { visibility: 'hidden' }
              }
            />
          )}
          {view && page && (
            <svg className="overlay" data-testid="overlay" width={viewport.width} height={viewport.height} aria-hidden="true">
              {outlines.map(({ d, i, pts }) => {
                if (!pts) return null;
                const a = labelAnchor(pts);
                const cls = `outline engine-${d.engine} ${d.review} ${i === state.detection ? 'current' : ''} ${hover === d.id ? 'hover' : ''}`;
                return (
                  <g key={d.id} className={cls} onMouseEnter={() => setHover(d.id)} onMouseLeave={() => setHover(null)} onClick={() => dispatch({ type: 'selectDetection', detection: i })}>
                    <polygon points={svgPoints(pts)} data-detection-id={d.id} data-engine={d.engine} data-testid="outline" />
                    {a && (
                      // With several engines on the page, each engine's labels sit on their own line (outlines of the same code coincide).
                      <text x={a.x} y={a.y - 6 - (enginesOnPage.length > 1 ? enginesOnPage.indexOf(d.engine) * 15 : 0)} className="outline-label">
                        {enginesOnPage.length > 1 ? `${t(`engineShort.${d.engine}`)} · ` : ''}
                        {d.field ?? d.symbology}
                      </text>
                    )}
                  </g>
                );
              })}
            </svg>
          )}
          <div className="stage-notes" role="status">
            {detail?.error ? (
              <p className="stage-note error">{t('review.pageError', { message: detail.error.message })}</p>
            ) : (
              imageFailed && <p className="stage-note error">{t('review.imageError')}</p>
            )}
            {noPosition && <p className="stage-note">{t('review.noPosition')}</p>}
          </div>
        </div>
        <aside className="side" aria-label={t('review.detections', { count: detections.length })}>
          <h3>{t('review.detections', { count: detections.length })}</h3>
          {(enginesOnPage.length > 1 || hiddenEngines.size > 0 || hasPersonal) && (
            <div className="engine-filter" role="group" aria-label={t('review.engines')} data-testid="engine-filter">
              {enginesOnPage.map((e) => (
                <button
                  key={e}
                  type="button"
                  className={`chip engine-${e}`}
                  aria-pressed={!hiddenEngines.has(e)}
                  onClick={() => toggleEngine(e)}
                  data-testid={`engine-toggle-${e}`}
                >
                  <span className="swatch" aria-hidden="true" />
                  {t(`engineShort.${e}`)} ({allDetections.filter((d) => d.engine === e).length})
                </button>
              ))}
              {hasPersonal && props.onRevealPersonal && (
                <button type="button" className="chip reveal" aria-pressed={reveal} onClick={() => props.onRevealPersonal?.(!reveal)} data-testid="reveal-personal">
                  {reveal ? t('review.hidePersonal') : t('review.revealPersonal')}
                </button>
              )}
            </div>
          )}
          {detail && detections.length === 0 && !detail.error && detail.status === 'done' && <p className="muted">{t('review.noDetections')}</p>}
          {detail?.error && <p className="error-text">{detail.error.message}</p>}
          <ul className="det-list" role="listbox" aria-label={t('review.detections', { count: detections.length })}>
            {detections.map((d, i) => (
              <li
                key={d.id}
                ref={(el) => {
                  if (el) rowRefs.current.set(d.id, el);
                  else rowRefs.current.delete(d.id);
                }}
                role="option"
                aria-selected={i === state.detection}
                className={`det ${i === state.detection ? 'current' : ''} ${hover === d.id ? 'hover' : ''} ${d.review}`}
                data-testid="detection"
                data-detection-id={d.id}
                data-review={d.review}
                data-engine={d.engine}
                onMouseEnter={() => setHover(d.id)}
                onMouseLeave={() => setHover(null)}
                onClick={() => dispatch({ type: 'selectDetection', detection: i })}
              >
                <div className="det-top">
                  <span className={`engine-tag engine-${d.engine}`} data-testid="detection-engine">
                    {t(`engineShort.${d.engine}`)}
                  </span>
                  <span className="symbology">{d.field ?? d.symbology}</span>
                  <span className={`review-status ${d.review}`}>{t(`review.status.${d.review}`)}</span>
                </div>
                {state.editing && i === state.detection ? (
                  <form
                    className="edit-form"
                    onSubmit={(e) => {
                      e.preventDefault();
                      void saveReview(d, { correctedText: draft === d.text ? null : draft });
                      dispatch({ type: 'endEdit' });
                    }}
                  >
                    <input
                      autoFocus
                      value={draft}
                      maxLength={10000}
                      aria-label={t('review.edit')}
                      data-testid="edit-input"
                      onChange={(e) => setDraft(e.target.value)}
                    />
                    <button type="submit" className="btn primary small">
                      {t('review.save')}
                    </button>
                    <button type="button" className="btn small" onClick={() => dispatch({ type: 'endEdit' })}>
                      {t('review.cancelEdit')}
                    </button>
                  </form>
                ) : (
                  <div className="value mono" data-testid="detection-value" data-masked={isPersonalData(d) && !reveal ? 'true' : undefined} title={isPersonalData(d) && !reveal ? t('review.maskedHint') : undefined}>
                    {shown(d, d.correctedText ?? d.text)}
                  </div>
                )}
                {d.correctedText !== null && <div className="muted small">{t('review.original', { value: shown(d, d.text) })}</div>}
                {d.geometry.kind === 'none' && <div className="muted small">{t('review.noPosition')}</div>}
                {productName(d) && (
                  <div className="muted small" data-testid="detection-product">
                    {productName(d)}
                  </div>
                )}
                <div className="det-actions">
                  <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); dispatch({ type: 'selectDetection', detection: i }); void saveReview(d, { review: 'accepted' }); }} title={`${t('review.accept')} (A)`}>
                    {t('review.accept')}
                  </button>
                  <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); dispatch({ type: 'selectDetection', detection: i }); void saveReview(d, { review: 'rejected' }); }} title={`${t('review.reject')} (R)`}>
                    {t('review.reject')}
                  </button>
                  <button type="button" className="btn small" onClick={(e) => { e.stopPropagation(); dispatch({ type: 'selectDetection', detection: i }); setDraft(d.correctedText ?? d.text); dispatch({ type: 'edit' }); }} title={`${t('review.edit')} (E)`}>
                    {t('review.edit')}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        </aside>
      </div>
      <footer className="hints" data-testid="hints">
        {t('review.hints')}
      </footer>
      {state.help && (
        <Modal title={t('help.title')} onClose={() => dispatch({ type: 'closeHelp' })} className="help-dialog" testId="help">
          <dl className="shortcuts">
            {SHORTCUTS.map((s) => (
              <div key={s.label} className="shortcut">
                <dt>
                  {s.keys.map((k) => (
                    <kbd key={k}>{k}</kbd>
                  ))}
                </dt>
                <dd>{t(s.label)}</dd>
              </div>
            ))}
          </dl>
          <div className="actions">
            <button type="button" className="btn primary" onClick={() => dispatch({ type: 'closeHelp' })} autoFocus>
              {t('help.close')}
            </button>
          </div>
        </Modal>
      )}
    </section>
  );
}

/** Product data a vendor added to an EAN/UPC code (Tencent QueryBarCode), as one line. */
function productName(d: StoredDetection): string | null {
  const p = d.extra?.product as { ProductName?: unknown; BrandName?: unknown } | undefined;
  if (!p || typeof p.ProductName !== 'string' || !p.ProductName) return null;
  return typeof p.BrandName === 'string' && p.BrandName ? `${p.ProductName} · ${p.BrandName}` : p.ProductName;
}
