import { useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { ApiError } from '../../../shared/contract';
import { useApp } from '../api/context';
import { errorText } from '../logic/error-text';
import { EnginePicker, type PlanInput } from './EnginePicker';
import { Modal } from './Modal';

/** Run a finished batch again with another engine; what earlier engines found stays. */
export function RerunDialog(props: { batch: BatchSummary; onClose: () => void; onDone: (b: BatchSummary) => void; onOpenSettings: () => void }) {
  const { client, t, locale, reportError } = useApp();
  const [plan, setPlan] = useState<PlanInput>({ engine: 'local', task: 'codes' });
  const [busy, setBusy] = useState(false);
  // "Nothing to do" is an answer to this choice, shown here where another can be made.
  const [why, setWhy] = useState<string | null>(null);
  async function run() {
    setBusy(true);
    setWhy(null);
    try {
      props.onDone(await client.call('batches.rerun', { batchId: props.batch.id, plan }));
    } catch (e) {
      if (e instanceof ApiError && e.code === 'NOTHING_TO_DO') setWhy(errorText(e, t, locale));
      else reportError(e);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal title={t('rerun.title', { name: props.batch.name })} onClose={props.onClose} testId="rerun-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void run();
        }}
      >
        <p className="muted">{t('rerun.body')}</p>
        <EnginePicker onPlan={setPlan} onOpenSettings={props.onOpenSettings} />
        {why && (
          <p className="note" role="status" data-testid="rerun-nothing">
            {why}
          </p>
        )}
        <div className="actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('create.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="rerun-start">
            {t('rerun.start')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
