import { useCallback, useLayoutEffect, useRef, useState, type PointerEvent } from 'react';
import { fitView, panBy, wheelZoomFactor, zoomAt, type Size, type View } from '../../logic/view-geometry';

/**
 * The stage's geometry: its measured size, the view (zoom and pan) of the page on it, fit,
 * zoom about the centre or the cursor (wheel), and pan by dragging. A new page starts unfitted
 * (`reset`) and is fitted once both its size and the stage's are known.
 */
export function useStageView(page: Size | null) {
  const stageRef = useRef<HTMLDivElement>(null);
  const [viewport, setViewport] = useState<Size>({ width: 0, height: 0 });
  const [chosen, setView] = useState<View | null>(null);

  useLayoutEffect(() => {
    const el = stageRef.current;
    if (!el) return;
    const measure = () => setViewport({ width: el.clientWidth, height: el.clientHeight });
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    // Wheel zooms at the cursor. A native listener: React's wheel handler cannot preventDefault.
    function onWheel(e: WheelEvent) {
      e.preventDefault();
      const r = (e.currentTarget as HTMLElement).getBoundingClientRect();
      const anchor = { x: e.clientX - r.left, y: e.clientY - r.top };
      setView((v) => {
        const from = v ?? fitted.current;
        return from ? zoomAt(from, wheelZoomFactor(e.deltaY), anchor) : v;
      });
    }
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => {
      ro.disconnect();
      el.removeEventListener('wheel', onWheel);
    };
  }, []);

  const pw = page?.width ?? 0;
  const ph = page?.height ?? 0;
  // Until the user zooms or pans, the page is shown fitted (and refitted when the stage resizes).
  const fittedView = pw > 0 && viewport.width > 0 ? fitView({ width: pw, height: ph }, viewport) : null;
  const fitted = useRef<View | null>(null);
  useLayoutEffect(() => {
    fitted.current = fittedView;
  });
  const view = chosen ?? fittedView;

  const fit = useCallback(() => setView(null), []);
  const zoomBy = useCallback(
    (factor: number) => setView((v) => {
      const from = v ?? fitted.current;
      return from ? zoomAt(from, factor, { x: viewport.width / 2, y: viewport.height / 2 }) : v;
    }),
    [viewport.width, viewport.height],
  );

  const drag = useRef<{ x: number; y: number; id: number } | null>(null);
  const panHandlers = {
    onPointerDown: (e: PointerEvent<HTMLDivElement>) => {
      if (e.button !== 0 && e.button !== 1) return;
      drag.current = { x: e.clientX, y: e.clientY, id: e.pointerId };
      e.currentTarget.setPointerCapture(e.pointerId);
    },
    onPointerMove: (e: PointerEvent<HTMLDivElement>) => {
      const d = drag.current;
      if (!d || d.id !== e.pointerId) return;
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      drag.current = { x: e.clientX, y: e.clientY, id: d.id };
      setView((v) => {
        const from = v ?? fitted.current;
        return from ? panBy(from, dx, dy) : v;
      });
    },
    onPointerUp: () => {
      drag.current = null;
    },
    onPointerCancel: () => {
      drag.current = null;
    },
  };

  return { stageRef, viewport, view, setView, fit, zoomBy, panHandlers };
}
