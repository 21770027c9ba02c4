import { useApp } from '../api/context';
import { Modal } from './Modal';

export function ConfirmDialog(props: { title: string; body: string; confirm: string; onConfirm: () => void; onClose: () => void }) {
  const { t } = useApp();
  return (
    <Modal title={props.title} onClose={props.onClose} testId="confirm-dialog">
      <p>{props.body}</p>
      <div className="actions">
        <button type="button" className="btn" onClick={props.onClose} autoFocus>
          {t('create.cancel')}
        </button>
        <button type="button" className="btn danger" onClick={props.onConfirm} data-testid="confirm-ok">
          {props.confirm}
        </button>
      </div>
    </Modal>
  );
}
