import { CARD_SIDES, type IdCardCropChoice, type IdCardWarnChoice } from '../../../../shared/contract/idcard';
import { OCR_REGIONS } from '../../../../shared/idcard';
import { useApp } from '../../api/context';
import { CROP_CHOICES, WARN_CHOICES, idCardProblem, type IdCardChoice } from '../../logic/idcard-choice';

/**
 * The ID-card section of the engine picker (Tencent IDCardOCR): card side, the crops to keep,
 * the warnings to ask for, glare details, advanced forgery checks and the region. The glare
 * details need the glare warning (the vendor ignores them otherwise): the box is disabled until
 * it is ticked, and the contract's rule is shown if the choice breaks it anyway.
 */
export function IdCardOptions(props: { value: IdCardChoice; onChange: (c: IdCardChoice) => void }) {
  const { t } = useApp();
  const c = props.value;
  const set = (patch: Partial<IdCardChoice>) => props.onChange({ ...c, ...patch });
  const toggle = <K extends string>(list: K[], k: K, on: boolean): K[] => (on ? [...list.filter((x) => x !== k), k] : list.filter((x) => x !== k));
  const glareOn = c.warns.includes('glare');
  const problem = idCardProblem(c);

  return (
    <fieldset className="idcard-options" data-testid="idcard-options">
      <legend>{t('idcard.options')}</legend>
      <div className="row">
        <label className="field grow">
          <span>{t('create.cardSide')}</span>
          <select value={c.cardSide} onChange={(e) => set({ cardSide: e.target.value as IdCardChoice['cardSide'] })} data-testid="card-side">
            {CARD_SIDES.map((s) => (
              <option key={s} value={s}>
                {t(`cardSide.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>{t('idcard.region')}</span>
          <select value={c.region} onChange={(e) => set({ region: e.target.value })} data-testid="idcard-region">
            <option value="">{t('idcard.regionDefault')}</option>
            {OCR_REGIONS.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="idcard-group" role="group" aria-label={t('idcard.crops')}>
        <span className="muted small">{t('idcard.crops')}</span>
        {CROP_CHOICES.map((k: IdCardCropChoice) => (
          <label key={k} className="check">
            <input type="checkbox" checked={c.crops.includes(k)} onChange={(e) => set({ crops: toggle(c.crops, k, e.target.checked) })} data-testid={`idcard-crop-${k}`} />
            {t(`idcard.crop.${k}`)}
          </label>
        ))}
      </div>
      <div className="idcard-group" role="group" aria-label={t('idcard.warnings')}>
        <span className="muted small">{t('idcard.warnings')}</span>
        {WARN_CHOICES.map((k: IdCardWarnChoice) => (
          <label key={k} className="check">
            <input
              type="checkbox"
              checked={c.warns.includes(k)}
              onChange={(e) => {
                const warns = toggle(c.warns, k, e.target.checked);
                // Glare details go with the glare warning: unticking it clears them.
                set({ warns, ...(k === 'glare' && !e.target.checked ? { glareDetail: false } : {}) });
              }}
              data-testid={`idcard-warn-${k}`}
            />
            {t(`idcard.warn.${k}`)}
          </label>
        ))}
        <label className="check" title={glareOn ? undefined : t('idcard.glareDetailNeeds')}>
          <input type="checkbox" checked={c.glareDetail} disabled={!glareOn && !c.glareDetail} onChange={(e) => set({ glareDetail: e.target.checked })} data-testid="idcard-glare-detail" />
          {t('idcard.glareDetail')}
        </label>
      </div>
      <label className="check">
        <input type="checkbox" checked={c.advanced} onChange={(e) => set({ advanced: e.target.checked })} data-testid="idcard-advanced" />
        {t('idcard.advanced')}
      </label>
      {c.advanced && <p className="muted small">{t('idcard.advancedHint')}</p>}
      {problem && (
        <p className="note error" role="alert" data-testid="idcard-problem">
          {problem.field === 'enableReflectDetail' ? t('idcard.glareDetailNeeds') : problem.message}
        </p>
      )}
    </fieldset>
  );
}
