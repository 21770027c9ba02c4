import { useCallback, useEffect, useState } from 'react';
import { EMPTY_RULES, rulesActive, type BatchRules } from '../../../../shared/rules/types';
import { useApp } from '../../api/context';
import { rulesSummary } from '../../logic/rule-text';
import { RulesForm, rulesToSend } from './RulesForm';

/**
 * A batch's review rules in its view: what they check, and the form to change them. Applying
 * judges every read page again (the host answers how many break a rule and how many codes it
 * accepted); the grid reloads through `onChanged`.
 */
export function RulesSection(props: { batchId: number; onChanged: () => void }) {
  const { client, t, reportError, notify } = useApp();
  const [stored, setStored] = useState<BatchRules | null>(null);
  const [draft, setDraft] = useState<BatchRules>(EMPTY_RULES);
  const [busy, setBusy] = useState(false);

  const load = useCallback(() => {
    client.call('rules.get', { batchId: props.batchId }).then((r) => {
      setStored(r);
      setDraft(r ?? EMPTY_RULES);
    }, reportError);
  }, [client, props.batchId, reportError]);
  useEffect(load, [load]);

  const toSend = rulesToSend(draft);
  const apply = async (rules: BatchRules | null) => {
    setBusy(true);
    try {
      const r = await client.call('rules.set', { batchId: props.batchId, rules: rules && rulesActive(rules) ? rules : null });
      notify(r.rules ? t('rules.applied', { pages: r.pages, flagged: r.flagged, accepted: r.accepted }) : t('rules.removed'));
      load();
      props.onChanged();
    } catch (err) {
      reportError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <details className="intake-section" data-testid="rules-section">
      <summary>
        <strong>{t('rules.title')}</strong>{' '}
        <span className="muted" data-testid="rules-summary">
          {stored ? rulesSummary(stored, t) : t('rules.none')}
        </span>
      </summary>
      <RulesForm value={draft} onChange={setDraft} idPrefix="batch" />
      <div className="row">
        <button type="button" className="btn primary" disabled={busy || toSend === null} onClick={() => void apply(toSend)} data-testid="rules-apply">
          {t('rules.save')}
        </button>
        {stored && (
          <button type="button" className="btn" disabled={busy} onClick={() => void apply(null)} data-testid="rules-remove">
            {t('rules.remove')}
          </button>
        )}
      </div>
    </details>
  );
}
