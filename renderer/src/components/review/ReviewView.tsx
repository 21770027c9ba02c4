import { useCallback, useEffect, useReducer, useState } from 'react';
import type { BatchSummary } from '../../../../shared/batch';
import { DETECTION_ENGINES, type DetectionEngine, type ReviewStatus, type StoredDetection } from '../../../../shared/detection';
import { useApp } from '../../api/context';
import { pageLabel } from '../../logic/items';
import { ZOOM_STEP, revealPoints, type Size } from '../../logic/view-geometry';
import { initialReview, reviewReducer } from '../../state/review';
import { foundBy } from '../../logic/engines';
import type { GridQuery } from '../BatchView';
import type { ReviewBefore, UndoStep } from '../../logic/use-undo';
import { visibleBox, type PageBox } from '../../logic/manual-box';
import { DrawLayer, ManualCodeForm, type Symbology } from './ManualCode';
import { DetectionList } from './DetectionList';
import { PageStage } from './PageStage';
import { ShortcutHelp } from './ShortcutHelp';
import { useReviewKeys } from './use-review-keys';
import { useReviewPage, type PageLoad } from './use-review-page';
import { useStageView } from './use-stage-view';

/**
 * One page at full quality with every detection outlined, and the list of detections beside
 * it. Everything works from the keyboard (see state/review.ts); verdicts and corrections are
 * saved through the contract as soon as they are made. The parts: use-review-page (which page,
 * fetched and the next one warmed), use-stage-view (zoom and pan), use-review-keys (keyboard),
 * PageStage (image and outlines), DetectionList (rows and the value editor), ShortcutHelp.
 */
export function ReviewView(props: {
  batch: BatchSummary;
  query: GridQuery;
  index: number;
  total: number;
  onClose: () => void;
  /** Every change made here, as the detections were before it (for Undo). */
  onReviewed?: (before: ReviewBefore[], after?: ReviewBefore[]) => void;
  /** Other undoable work done here (a code drawn by hand, a "no code" mark). */
  onUndoable?: (step: UndoStep) => void;
  /** Changes when review work was undone elsewhere: the page is fetched again. */
  reviewVersion?: number;
  /** Show ID numbers in full (a per-session choice; masked by default). */
  revealPersonal?: boolean;
  onRevealPersonal?: (reveal: boolean) => void;
}) {
  const { client, t, reportError, notify } = useApp();
  const { batch, query } = props;
  const [state, dispatch] = useReducer(reviewReducer, initialReview, () =>
    reviewReducer(initialReview, { type: 'open', index: props.index, total: props.total }),
  );
  const [natural, setNatural] = useState<Size | null>(null);
  const [imageFailed, setImageFailed] = useState(false);
  const [hover, setHover] = useState<number | null>(null);
  // Bumped when the page in view leaves the filtered list (the last code on it reviewed while
  // showing "needs review"): the same index then holds the next page, like an inbox.
  const [reload, setReload] = useState(0);
  // Engines whose detections are hidden (outlines and list), kept while paging.
  // A code being drawn by hand: its box so far (null until drawn), or not drawing (null state).
  const [manual, setManual] = useState<{ box: PageBox | null } | null>(null);
  const [manualBusy, setManualBusy] = useState(false);
  const [lastSymbology, setLastSymbology] = useState<Symbology>('QRCode');
  const [hiddenEngines, setHiddenEngines] = useState<ReadonlySet<DetectionEngine>>(new Set());

  const onLoaded = ({ total, detail: d, samePage }: PageLoad) => {
    if (total !== state.total) dispatch({ type: 'total', total });
    if (!d) return;
    if (!samePage) {
      setManual(null);
      setImageFailed(false);
      setNatural(null);
      stage.fit();
    }
    dispatch({ type: 'pageLoaded', detectionCount: d.detections.filter((x) => foundBy(x).some((e) => !hiddenEngines.has(e))).length });
    if (!samePage) dispatch({ type: 'selectDetection', detection: 0 });
  };
  const { detail, setDetail, detailRef } = useReviewPage(client, batch.id, query, state.index, `${reload}:${props.reviewVersion ?? 0}`, onLoaded, reportError);

  // Page pixels are what detections are stored in; the preview may be a smaller copy.
  const page: Size | null = detail?.width && detail.height ? { width: detail.width, height: detail.height } : natural;
  const stage = useStageView(page);
  const { view, viewport, setView } = stage;

  const allDetections = detail?.detections ?? [];
  // Each engine's detections side by side: grouped in engine order, stored order within.
  // A code two engines read is one detection (foundBy): shown unless every engine that found it is hidden.
  const enginesOnPage = DETECTION_ENGINES.filter((e) => allDetections.some((d) => foundBy(d).includes(e)));
  const shownOf = (hidden: ReadonlySet<DetectionEngine>) =>
    enginesOnPage.flatMap((e) => allDetections.filter((d) => d.engine === e && foundBy(d).some((x) => !hidden.has(x))));
  const detections = shownOf(hiddenEngines);
  const current: StoredDetection | undefined = state.detection >= 0 ? detections[state.detection] : undefined;

  const toggleEngine = (e: DetectionEngine) => {
    const next = new Set(hiddenEngines);
    if (next.has(e)) next.delete(e);
    else next.add(e);
    setHiddenEngines(next);
    dispatch({ type: 'pageLoaded', detectionCount: shownOf(next).length });
    dispatch({ type: 'selectDetection', detection: 0 });
  };

  // Tab through detections: bring the selected one into view.
  const currentId = current?.id;
  useEffect(() => {
    if (!current || !view || current.geometry.kind === 'none') return;
    const next = revealPoints(view, current.geometry.points, viewport);
    if (next !== view) setView(next);
    // Only when the selection moves: zooming or panning away afterwards is the user's choice.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [currentId]);

  const { filter } = query;
  const { onReviewed } = props;
  const saveReview = useCallback(
    async (d: StoredDetection, change: { review?: ReviewStatus; correctedText?: string | null }) => {
      try {
        const saved = await client.call('detections.review', { detectionId: d.id, ...change });
        onReviewed?.([{ id: d.id, review: d.review, correctedText: d.correctedText }], [{ id: d.id, review: saved.review, correctedText: saved.correctedText }]);
        setDetail((cur) => (cur ? { ...cur, detections: cur.detections.map((x) => (x.id === saved.id ? saved : x)) } : cur));
        const others = detailRef.current?.detections.filter((x) => x.id !== saved.id) ?? [];
        if (filter === 'needs-review' && saved.review !== 'pending' && others.every((x) => x.review !== 'pending')) {
          setReload((n) => n + 1);
        }
      } catch (e) {
        reportError(e);
      }
    },
    [client, reportError, filter, setDetail, detailRef, onReviewed],
  );

  // Every open detection of this page accepted at once (Shift+A).
  const acceptPage = async () => {
    if (!detail) return;
    try {
      const { changed } = await client.call('detections.bulkReview', { batchId: batch.id, review: 'accepted', scope: { itemId: detail.id } });
      onReviewed?.(changed, changed.map((c) => ({ ...c, review: 'accepted' as const })));
      if (filter === 'needs-review' && changed.length > 0) setReload((n) => n + 1);
      else setDetail((cur) => (cur ? { ...cur, detections: cur.detections.map((x) => (changed.some((c) => c.id === x.id) ? { ...x, review: 'accepted' } : x)) } : cur));
    } catch (e) {
      reportError(e);
    }
  };

  // A code no engine found: the reviewer's box and value, stored as an accepted "manual" detection.
  const { onUndoable } = props;
  const addManual = async (box: PageBox, text: string, symbology: Symbology) => {
    if (!detail) return;
    setManualBusy(true);
    try {
      const { detection, item } = await client.call('detections.addManual', { itemId: detail.id, box, symbology, text });
      onUndoable?.({ kind: 'manualAdded', detectionId: detection.id, itemId: detail.id, code: { box, symbology, text } });
      setLastSymbology(symbology);
      setManual(null);
      setDetail(item);
      const shown = item.detections.filter((x) => foundBy(x).some((e) => !hiddenEngines.has(e)));
      dispatch({ type: 'pageLoaded', detectionCount: shown.length });
      dispatch({ type: 'selectDetection', detection: Math.max(0, shown.findIndex((x) => x.id === detection.id)) });
      notify(t('manual.added'));
    } catch (e) {
      reportError(e);
    } finally {
      setManualBusy(false);
    }
  };

  // "Checked, no code here" (N): marks the page (and moves on), or takes the mark back.
  const toggleNoCode = async () => {
    if (!detail) return;
    const checked = !detail.checkedNoCode;
    try {
      const item = await client.call('items.setNoCode', { itemId: detail.id, checked });
      onUndoable?.({ kind: 'noCode', itemId: detail.id, before: !checked });
      setDetail(item);
      if (checked && state.index + 1 < state.total) dispatch({ type: 'nextPage' });
    } catch (e) {
      reportError(e);
    }
  };

  const startDrawing = () => {
    if (!detail || !page || !view) return;
    setManual({ box: visibleBox(view, viewport, page) });
  };

  const verdict = (review: ReviewStatus) => {
    if (!current) return;
    void saveReview(current, { review });
    // Move on, like a mail client after archiving, but never wrap to the start.
    if (state.detection + 1 < state.detectionCount) dispatch({ type: 'nextDetection' });
  };

  const { onClose } = props;
  const { spaceDown } = useReviewKeys(
    {
      nextPage: () => dispatch({ type: 'nextPage' }),
      prevPage: () => dispatch({ type: 'prevPage' }),
      nextDetection: () => dispatch({ type: 'nextDetection' }),
      prevDetection: () => dispatch({ type: 'prevDetection' }),
      accept: () => verdict('accepted'),
      acceptPage: () => void acceptPage(),
      reject: () => verdict('rejected'),
      edit: () => current && dispatch({ type: 'edit' }),
      zoomIn: () => stage.zoomBy(ZOOM_STEP),
      zoomOut: () => stage.zoomBy(1 / ZOOM_STEP),
      fit: stage.fit,
      help: () => dispatch({ type: 'toggleHelp' }),
      drawCode: startDrawing,
      noCode: () => void toggleNoCode(),
      close: () => {
        if (state.help) dispatch({ type: 'closeHelp' });
        else if (manual) setManual(null);
        else if (state.editing) dispatch({ type: 'endEdit' });
        else onClose();
      },
    },
    // With the shortcut list open, only ? and Esc (which close it) act.
    state.help ? ['help', 'close'] : undefined,
  );

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
          {detail && (
            <button
              type="button"
              className="btn small"
              title={t('review.revealFileTitle')}
              data-testid="reveal-page"
              onClick={() => void client.call('items.reveal', { itemId: detail.id }).catch(reportError)}
            >
              {t('review.revealFile')}
            </button>
          )}
        </div>
        <div className="toolbar" role="toolbar" aria-label={t('review.fit')}>
          <button type="button" className="btn icon" onClick={() => stage.zoomBy(1 / ZOOM_STEP)} aria-label={t('review.zoomOut')} title={`${t('review.zoomOut')} (−)`}>
            −
          </button>
          <span className="zoom" data-testid="zoom">
            {view ? `${Math.round(view.zoom * 100)}%` : '—'}
          </span>
          <button type="button" className="btn icon" onClick={() => stage.zoomBy(ZOOM_STEP)} aria-label={t('review.zoomIn')} title={`${t('review.zoomIn')} (+)`}>
            +
          </button>
          <button type="button" className="btn" onClick={stage.fit} title={`${t('review.fit')} (0)`}>
            {t('review.fit')}
          </button>
          <button type="button" className="btn" onClick={() => void acceptPage()} title={`${t('review.acceptPage')} (Shift+A)`} data-testid="accept-page">
            {t('review.acceptPage')}
          </button>
          <button type="button" className="btn" onClick={startDrawing} aria-pressed={manual !== null} title={`${t('manual.draw')} (B)`} data-testid="draw-code">
            {t('manual.draw')}
          </button>
          <button
            type="button"
            className="btn"
            onClick={() => void toggleNoCode()}
            aria-pressed={!!detail?.checkedNoCode}
            title={`${t('manual.noCodeTitle')} (N)`}
            data-testid="no-code"
          >
            {t('manual.noCode')}
          </button>
          <button type="button" className="btn icon" onClick={() => dispatch({ type: 'toggleHelp' })} aria-label={t('app.shortcuts')} title={`${t('app.shortcuts')} (?)`}>
            ?
          </button>
        </div>
      </header>
      <div className="review-body">
        <PageStage
          detail={detail}
          page={page}
          natural={natural}
          view={view}
          viewport={viewport}
          stageRef={stage.stageRef}
          panHandlers={stage.panHandlers}
          grab={spaceDown}
          detections={detections}
          enginesOnPage={enginesOnPage}
          selected={state.detection}
          hover={hover}
          onHover={setHover}
          onSelect={(i) => dispatch({ type: 'selectDetection', detection: i })}
          imageFailed={imageFailed}
          onImage={(size) => (size ? setNatural(size) : setImageFailed(true))}
        >
          {manual && view && page && <DrawLayer view={view} page={page} box={manual.box} grab={spaceDown} onBox={(box) => setManual({ box })} />}
        </PageStage>
        <DetectionList
          detail={detail}
          all={allDetections}
          detections={detections}
          enginesOnPage={enginesOnPage}
          hiddenEngines={hiddenEngines}
          onToggleEngine={toggleEngine}
          reveal={!!props.revealPersonal}
          onRevealPersonal={props.onRevealPersonal}
          selected={state.detection}
          editing={state.editing}
          hover={hover}
          onHover={setHover}
          onSelect={(i) => dispatch({ type: 'selectDetection', detection: i })}
          onVerdict={(d, i, review) => {
            dispatch({ type: 'selectDetection', detection: i });
            void saveReview(d, { review });
          }}
          onEdit={(i) => {
            dispatch({ type: 'selectDetection', detection: i });
            dispatch({ type: 'edit' });
          }}
          onSave={(d, value) => {
            // A corrected value is a reviewed one: saving accepts it and moves on, to the next
            // detection or (after the page's last) the next page. In "needs review" the page
            // leaves the list by itself when nothing on it is open.
            void saveReview(d, { correctedText: value === d.text ? null : value, review: 'accepted' });
            dispatch({ type: 'endEdit' });
            if (state.detection + 1 < state.detectionCount) dispatch({ type: 'nextDetection' });
            else if (filter !== 'needs-review') dispatch({ type: 'nextPage' });
          }}
          onCancelEdit={() => dispatch({ type: 'endEdit' })}
        >
          {manual?.box && detail && (
            <ManualCodeForm
              itemId={detail.id}
              box={manual.box}
              symbology={lastSymbology}
              busy={manualBusy}
              onSave={(value, symbology) => manual.box && void addManual(manual.box, value, symbology)}
              onCancel={() => setManual(null)}
            />
          )}
        </DetectionList>
      </div>
      <footer className="hints" data-testid="hints">
        {t('review.hints')}
      </footer>
      {state.help && <ShortcutHelp onClose={() => dispatch({ type: 'closeHelp' })} />}
    </section>
  );
}
