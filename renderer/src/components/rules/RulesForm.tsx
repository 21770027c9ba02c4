import { SYMBOLOGIES } from '../../../../shared/detection';
import { patternProblem } from '../../../../shared/rules/pattern';
import { ANY_SYMBOLOGY, RULE_LIMITS, type BatchRules } from '../../../../shared/rules/types';
import { useApp } from '../../api/context';

/**
 * The review rules of a batch as a form (the new-batch dialog and the batch view share it):
 * symbologies expected, a pattern per symbology (checked by the same RE2 as the engine, so a
 * pattern the engine would refuse is marked here first), GS1 checks, codes per page,
 * auto-accept. Controlled: `value` in, `onChange` out.
 */
export function RulesForm(props: { value: BatchRules; onChange: (r: BatchRules) => void; idPrefix: string }) {
  const { t } = useApp();
  const r = props.value;
  const set = (patch: Partial<BatchRules>) => props.onChange({ ...r, ...patch });
  const patterns = Object.entries(r.patterns);
  const setPattern = (i: number, key: string, pattern: string) => {
    const next = patterns.map((p, j) => (j === i ? ([key, pattern] as [string, string]) : p));
    set({ patterns: Object.fromEntries(next) });
  };
  const count = (v: string): number | null => (v.trim() === '' ? null : Math.max(0, Math.min(RULE_LIMITS.codesPerPage, Math.floor(Number(v)) || 0)));
  const { min, max } = r.codesPerPage;
  return (
    <div className="rules-form" data-testid={`${props.idPrefix}-rules-form`}>
      <fieldset className="rules-symbologies">
        <legend>{t('rules.symbologies')}</legend>
        <div className="chips">
          {SYMBOLOGIES.map((s) => (
            <label key={s} className="check small">
              <input
                type="checkbox"
                checked={r.symbologies.includes(s)}
                onChange={(e) => set({ symbologies: e.target.checked ? [...r.symbologies, s] : r.symbologies.filter((x) => x !== s) })}
                data-testid={`rules-sym-${s}`}
              />
              {s}
            </label>
          ))}
        </div>
        <p className="muted small">{t('rules.symbologiesHint')}</p>
      </fieldset>
      <fieldset>
        <legend>{t('rules.patterns')}</legend>
        {patterns.map(([key, pattern], i) => {
          const problem = pattern === '' ? null : patternProblem(pattern);
          return (
            <div className="row rules-pattern" key={i}>
              <select aria-label={t('rules.patternFor')} value={key} onChange={(e) => setPattern(i, e.target.value, pattern)} data-testid="rules-pattern-for">
                <option value={ANY_SYMBOLOGY}>{t('rules.anySymbology')}</option>
                {SYMBOLOGIES.filter((s) => s === key || !(s in r.patterns)).map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </select>
              <input
                className="mono grow"
                aria-label={t('rules.pattern')}
                aria-invalid={problem !== null}
                value={pattern}
                maxLength={RULE_LIMITS.patternChars}
                spellCheck={false}
                onChange={(e) => setPattern(i, key, e.target.value)}
                data-testid="rules-pattern"
              />
              <button type="button" className="btn small" onClick={() => set({ patterns: Object.fromEntries(patterns.filter((_, j) => j !== i)) })}>
                {t('rules.removePattern')}
              </button>
              {problem && (
                <p className="error-text small" role="alert" data-testid="rules-pattern-error">
                  {t('rules.badPattern', { reason: problem })}
                </p>
              )}
            </div>
          );
        })}
        <button
          type="button"
          className="btn small"
          disabled={patterns.length >= RULE_LIMITS.patterns}
          onClick={() => {
            const free = [ANY_SYMBOLOGY, ...SYMBOLOGIES].find((s) => !(s in r.patterns));
            if (free !== undefined) set({ patterns: { ...r.patterns, [free]: '' } });
          }}
          data-testid="rules-add-pattern"
        >
          {t('rules.addPattern')}
        </button>
      </fieldset>
      <label className="check">
        <input type="checkbox" checked={r.gs1} onChange={(e) => set({ gs1: e.target.checked })} data-testid="rules-gs1" />
        {t('rules.gs1')}
      </label>
      <div className="row rules-count">
        <span>{t('rules.codesPerPage')}</span>
        <label>
          {t('rules.min')}{' '}
          <input type="number" min={0} value={min ?? ''} onChange={(e) => set({ codesPerPage: { min: count(e.target.value), max } })} data-testid="rules-min" />
        </label>
        <label>
          {t('rules.max')}{' '}
          <input type="number" min={0} value={max ?? ''} onChange={(e) => set({ codesPerPage: { min, max: count(e.target.value) } })} data-testid="rules-max" />
        </label>
        {min !== null && max !== null && min > max && <span className="error-text small">{t('rules.minOverMax')}</span>}
      </div>
      <label className="check">
        <input type="checkbox" checked={r.autoAccept} onChange={(e) => set({ autoAccept: e.target.checked })} data-testid="rules-auto-accept" />
        {t('rules.autoAccept')}
      </label>
    </div>
  );
}

/** The rules as the host takes them: empty patterns left out; null when the form is invalid. */
export function rulesToSend(r: BatchRules): BatchRules | null {
  const patterns = Object.fromEntries(Object.entries(r.patterns).filter(([, p]) => p !== ''));
  if (Object.values(patterns).some((p) => patternProblem(p) !== null)) return null;
  const { min, max } = r.codesPerPage;
  if (min !== null && max !== null && min > max) return null;
  return { ...r, patterns };
}
