import { useEffect, useState } from 'react';
import type { Task } from '../../../shared/engines';
import type { RequestInput } from '../../../shared/contract';
import { useApp } from '../api/context';
import { buildPlan, engineLabel, planChoices, taskLabel, type EngineAvailability, type PlanChoice } from '../logic/engines';
import { NO_ID_CARD_CHOICE, idCardPlanOptions, type IdCardChoice } from '../logic/idcard-choice';
import { IdCardOptions } from './idcard/IdCardOptions';

/** A plan as the contract takes it (option values are plain JSON values). */
export type PlanInput = RequestInput<'batches.rerun'>['plan'];

/**
 * Engine, task and engine options for a batch: the local decoder (default), one cloud vendor
 * (only those that can run now are enabled; the others say why), or local first with a vendor
 * for the pages where it found nothing. Tasks are limited to what the choice can do. Reports
 * the plan on every change.
 */
export function EnginePicker(props: { onPlan: (plan: PlanInput) => void; onOpenSettings?: () => void }) {
  const { client, t, info, reportError } = useApp();
  const [engines, setEngines] = useState<EngineAvailability[] | null>(null);
  const [value, setValue] = useState('local');
  const [task, setTask] = useState<Task>('codes');
  const [idCard, setIdCard] = useState<IdCardChoice>(NO_ID_CARD_CHOICE);

  useEffect(() => {
    let live = true;
    client
      .call('engines.list')
      .then((list) => live && setEngines(list))
      .catch((e: unknown) => {
        // An older host without engines.list: offer what app.info names, all enabled.
        if (live) setEngines(info.engines.map((id) => ({ id, tasks: ['codes'], available: id === 'local', reason: null })));
        reportError(e);
      });
    return () => {
      live = false;
    };
  }, [client, info.engines, reportError]);

  const choices: PlanChoice[] = engines ? planChoices(engines) : planChoices([]);
  const choice = choices.find((c) => c.value === value) ?? choices[0]!;
  const effectiveTask: Task = choice.tasks.includes(task) ? task : (choice.tasks[0] ?? 'codes');
  const unavailable = choices.filter((c) => c.disabled && !c.fallback);

  const { onPlan } = props;
  // Reported when it changes (by value: the choices list is rebuilt on every render).
  const planJson = JSON.stringify(buildPlan(choice, effectiveTask, idCardPlanOptions(idCard)));
  useEffect(() => {
    onPlan(JSON.parse(planJson) as PlanInput);
  }, [planJson, onPlan]);

  const label = (c: PlanChoice) => {
    const base = c.fallback ? t('create.fallback', { vendor: t(engineLabel(c.fallback)) }) : t(engineLabel(c.engine));
    return c.disabled ? `${base} — ${t('engine.notConfigured')}` : base;
  };

  return (
    <div className="engine-picker" data-testid="engine-picker" data-ready={engines ? 'true' : 'false'}>
      <div className="row">
        <label className="field grow">
          <span>{t('create.engine')}</span>
          <select value={choice.value} data-testid="engine" onChange={(e) => setValue(e.target.value)}>
            {choices.map((c) => (
              <option key={c.value} value={c.value} disabled={c.disabled} title={c.reason ?? undefined}>
                {label(c)}
              </option>
            ))}
          </select>
        </label>
        <label className="field grow">
          <span>{t('create.task')}</span>
          <select value={effectiveTask} onChange={(e) => setTask(e.target.value as Task)} data-testid="task">
            {choice.tasks.map((k) => (
              <option key={k} value={k}>
                {t(taskLabel(k))}
              </option>
            ))}
          </select>
        </label>
      </div>
      {effectiveTask === 'idcard' && <IdCardOptions value={idCard} onChange={setIdCard} />}
      {unavailable.length > 0 && (
        <p className="muted small" data-testid="engine-hint">
          {t('create.notConfiguredHint')}{' '}
          {props.onOpenSettings && (
            <button type="button" className="btn link" onClick={props.onOpenSettings} data-testid="engine-settings">
              {t('create.openSettings')}
            </button>
          )}
        </p>
      )}
    </div>
  );
}
