import type { ReactNode, Ref } from 'react';
import type { ItemDetail } from '../../../../shared/batch';
import type { DetectionEngine, StoredDetection } from '../../../../shared/detection';
import { useApp } from '../../api/context';
import { errorText } from '../../logic/error-text';
import { pageLabel } from '../../logic/items';
import { labelAnchor, outlineOnScreen, svgPoints, type Size, type View } from '../../logic/view-geometry';
import type { useStageView } from './use-stage-view';
import { detectionLabel } from '../idcard/field-label';

/**
 * The page image at the current view with every shown detection outlined (selected and hovered
 * ones marked), and notes about the page (its error, detections without a position).
 */
export function PageStage(props: {
  detail: ItemDetail | null;
  page: Size | null;
  natural: Size | null;
  view: View | null;
  viewport: Size;
  stageRef: Ref<HTMLDivElement>;
  panHandlers: ReturnType<typeof useStageView>['panHandlers'];
  grab: boolean;
  detections: StoredDetection[];
  enginesOnPage: DetectionEngine[];
  selected: number;
  hover: number | null;
  onHover: (id: number | null) => void;
  onSelect: (index: number) => void;
  imageFailed: boolean;
  onImage: (natural: Size | null) => void;
  /** Drawn over the page (a box being drawn, say). */
  children?: ReactNode;
}) {
  const { client, t, locale } = useApp();
  const { detail, page, natural, view, viewport, enginesOnPage } = props;
  const several = enginesOnPage.length > 1;
  const noPosition = props.detections.some((d) => d.geometry.kind === 'none');
  return (
    <div ref={props.stageRef} className={`stage ${props.grab ? 'grab' : ''}`} data-testid="stage" {...props.panHandlers}>
      {detail && !props.imageFailed && (
        <img
          key={detail.id}
          className={`page-image ${view && page && natural && (view.zoom * page.width) / natural.width >= 2 ? 'pixels' : ''}`}
          data-testid="page-image"
          src={client.mediaUrl('preview', detail.id)}
          alt={pageLabel(detail)}
          draggable={false}
          onLoad={(e) => props.onImage({ width: e.currentTarget.naturalWidth, height: e.currentTarget.naturalHeight })}
          onError={() => props.onImage(null)}
          style={view && page ? { left: view.panX, top: view.panY, width: page.width * view.zoom, height: page.height * view.zoom } : { visibility: 'hidden' }}
        />
      )}
      {view && page && (
        <svg className="overlay" data-testid="overlay" width={viewport.width} height={viewport.height} aria-hidden="true">
          {props.detections.map((d, i) => {
            const pts = outlineOnScreen(d.geometry, view);
            if (!pts) return null;
            const a = labelAnchor(pts);
            const cls = `outline engine-${d.engine} ${d.review} ${i === props.selected ? 'current' : ''} ${props.hover === d.id ? 'hover' : ''}`;
            return (
              <g key={d.id} className={cls} onMouseEnter={() => props.onHover(d.id)} onMouseLeave={() => props.onHover(null)} onClick={() => props.onSelect(i)}>
                <polygon points={svgPoints(pts)} data-detection-id={d.id} data-engine={d.engine} data-testid="outline" />
                {a && (
                  // With several engines on the page, each engine's labels sit on their own line (outlines of the same code coincide).
                  <text x={a.x} y={a.y - 6 - (several ? enginesOnPage.indexOf(d.engine) * 15 : 0)} className="outline-label">
                    {several ? `${t(`engineShort.${d.engine}`)} · ` : ''}
                    {detectionLabel(d, locale)}
                  </text>
                )}
              </g>
            );
          })}
        </svg>
      )}
      {props.children}
      <div className="stage-notes" role="status">
        {detail?.error ? (
          <p className="stage-note error" data-testid="page-error">
            {t('review.pageError', { message: errorText(detail.error, t, locale) })}
          </p>
        ) : (
          props.imageFailed && <p className="stage-note error">{t('review.imageError')}</p>
        )}
        {noPosition && <p className="stage-note">{t('review.noPosition')}</p>}
      </div>
    </div>
  );
}
