import { useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { EnginePicker, type PlanInput } from './EnginePicker';
import { Modal } from './Modal';

/** Run a finished batch again with another engine; what earlier engines found stays. */
export function RerunDialog(props: { batch: BatchSummary; onClose: () => void; onDone: (b: BatchSummary) => void; onOpenSettings: () => void }) {
  const { client, t, reportError } = useApp();
  const [plan, setPlan] = useState<PlanInput>({ engine: 'local', task: 'codes' });
  const [busy, setBusy] = useState(false);

  async function run() {
    setBusy(true);
    try {
      props.onDone(await client.call('batches.rerun', { batchId: props.batch.id, plan }));
    } catch (e) {
      reportError(e);
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
