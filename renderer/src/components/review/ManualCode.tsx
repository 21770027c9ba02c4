import { useEffect, useRef, useState, type PointerEvent } from 'react';
import type { RegionCode } from '../../../../shared/code-table';
import { useRegionRead } from './use-region-read';
import { LIMITS } from '../../../../shared/contract';
import { SYMBOLOGIES } from '../../../../shared/detection';
import type { Point } from '../../../../shared/geometry';
import { useApp } from '../../api/context';
import { boxFromDrag, type PageBox } from '../../logic/manual-box';
import { toScreen, type Size, type View } from '../../logic/view-geometry';

export type Symbology = (typeof SYMBOLOGIES)[number];

/**
 * Drawing a box on the page (over PageStage, while a code is being added by hand): a drag
 * draws it, in page pixels at the current view; the box drawn so far is shown dashed. Drags
 * here do not pan the page (Space+drag and the wheel still move and zoom it).
 */
export function DrawLayer(props: { view: View; page: Size; box: PageBox | null; onBox: (box: PageBox) => void; grab: boolean }) {
  const { t } = useApp();
  const start = useRef<{ at: Point; id: number } | null>(null);
  const [drag, setDrag] = useState<{ a: Point; b: Point } | null>(null);
  const local = (e: PointerEvent<HTMLDivElement>): Point => {
    const r = e.currentTarget.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const shown = drag ? boxFromDrag(drag.a, drag.b, props.view, props.page) : props.box;
  const tl = shown ? toScreen({ x: shown.left, y: shown.top }, props.view) : null;
  return (
    <div
      className={`draw-layer ${props.grab ? 'grab' : ''}`}
      data-testid="draw-layer"
      title={t('manual.drawHint')}
      onPointerDown={(e) => {
        // Space held: the stage pans, as everywhere else.
        if (props.grab || e.button !== 0) return;
        e.stopPropagation();
        const at = local(e);
        start.current = { at, id: e.pointerId };
        setDrag({ a: at, b: at });
        e.currentTarget.setPointerCapture(e.pointerId);
      }}
      onPointerMove={(e) => {
        const s = start.current;
        if (!s || s.id !== e.pointerId) return;
        e.stopPropagation();
        setDrag({ a: s.at, b: local(e) });
      }}
      onPointerUp={(e) => {
        const s = start.current;
        if (!s || s.id !== e.pointerId) return;
        e.stopPropagation();
        start.current = null;
        setDrag(null);
        const box = boxFromDrag(s.at, local(e), props.view, props.page);
        if (box) props.onBox(box);
      }}
      onPointerCancel={() => {
        start.current = null;
        setDrag(null);
      }}
    >
      {shown && tl && (
        <div
          className="drawn-box"
          data-testid="drawn-box"
          style={{ left: tl.x, top: tl.y, width: shown.width * props.view.zoom, height: shown.height * props.view.zoom }}
        />
      )}
    </div>
  );
}

/**
 * The value and symbology of a code drawn by hand. Enter adds it (accepted, engine "manual"),
 * Esc cancels (the review view's Escape). The symbology starts as the last one used. The local
 * decoder reads the box meanwhile (use-region-read.ts): what it finds fills the value and
 * symbology unless the reviewer has typed a value of their own; several codes are offered to pick.
 */
export function ManualCodeForm(props: {
  itemId: number;
  box: PageBox;
  symbology: Symbology;
  busy: boolean;
  onSave: (value: string, symbology: Symbology) => void;
  onCancel: () => void;
}) {
  const { t } = useApp();
  const [value, setValue] = useState('');
  const [symbology, setSymbology] = useState<Symbology>(props.symbology);
  const read = useRegionRead(props.itemId, props.box);
  // The value the last reading filled in: replaced by the next reading, never a typed one.
  const filled = useRef('');
  const take = (code: RegionCode) => {
    filled.current = code.text;
    setValue(code.text);
    setSymbology(code.symbology);
  };
  useEffect(() => {
    if (read.state === 'reading' || (value !== '' && value !== filled.current)) return;
    const first = read.state === 'done' ? read.codes[0] : undefined;
    if (first) take(first);
    else if (filled.current !== '') {
      // The box moved off what the last reading filled in: that value no longer applies.
      filled.current = '';
      setValue('');
    }
    // Only a new reading fills the value (not the reviewer's typing).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [read]);
  const submit = () => {
    if (value.trim() !== '' && !props.busy) props.onSave(value.trim(), symbology);
  };
  return (
    <form
      className="manual-form"
      data-testid="manual-form"
      aria-label={t('manual.title')}
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h4>{t('manual.title')}</h4>
      <p className="muted small" data-testid="manual-box">
        {t('manual.box', { width: props.box.width, height: props.box.height, left: props.box.left, top: props.box.top })}
      </p>
      <p className="muted small region-read" data-testid="region-read" data-state={read.state === 'done' ? (read.codes.length > 0 ? 'found' : 'none') : read.state}>
        {read.state === 'reading'
          ? t('manual.reading')
          : read.state === 'failed' || read.codes.length === 0
            ? t('manual.readNone')
            : read.codes.length === 1
              ? t('manual.readOne', { symbology: read.codes[0]!.symbology })
              : t('manual.readMany', { count: read.codes.length })}
      </p>
      {read.state === 'done' && read.codes.length > 1 && (
        <div className="row region-codes">
          {read.codes.map((c) => (
            <button key={`${c.symbology}:${c.text}`} type="button" className="btn small mono" aria-pressed={value === c.text} onClick={() => take(c)} data-testid="region-code">
              {c.text.length > 40 ? `${c.text.slice(0, 40)}…` : c.text}
            </button>
          ))}
        </div>
      )}
      <label className="field">
        <span>{t('manual.value')}</span>
        <input
          autoFocus
          value={value}
          maxLength={LIMITS.correctedTextChars}
          spellCheck={false}
          className="mono"
          data-testid="manual-value"
          onChange={(e) => setValue(e.target.value)}
        />
      </label>
      <label className="field">
        <span>{t('manual.symbology')}</span>
        <select value={symbology} data-testid="manual-symbology" onChange={(e) => setSymbology(e.target.value as Symbology)}>
          {SYMBOLOGIES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <div className="row">
        <button type="submit" className="btn primary small" disabled={value.trim() === '' || props.busy} data-testid="manual-save">
          {t('manual.save')}
        </button>
        <button type="button" className="btn small" onClick={props.onCancel} data-testid="manual-cancel">
          {t('manual.cancel')}
        </button>
      </div>
    </form>
  );
}
