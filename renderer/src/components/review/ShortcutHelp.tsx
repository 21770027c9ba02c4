import { useApp } from '../../api/context';
import { SHORTCUTS } from '../../state/review';
import { Modal } from '../Modal';

/** The ? overlay: every review shortcut, from the same table the key handler reads. */
export function ShortcutHelp(props: { onClose: () => void }) {
  const { t } = useApp();
  return (
    <Modal title={t('help.title')} onClose={props.onClose} className="help-dialog" testId="help">
      <dl className="shortcuts">
        {SHORTCUTS.map((s) => (
          <div key={s.label} className="shortcut">
            <dt>
              {s.keys.map((k) => (
                <kbd key={k}>{k}</kbd>
              ))}
            </dt>
            <dd>{t(s.label)}</dd>
          </div>
        ))}
      </dl>
      <div className="actions">
        <button type="button" className="btn primary" onClick={props.onClose} autoFocus>
          {t('help.close')}
        </button>
      </div>
    </Modal>
  );
}
