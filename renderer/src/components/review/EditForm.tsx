import { useState } from 'react';
import { LIMITS } from '../../../../shared/contract';
import { useApp } from '../../api/context';

/** The value editor of one detection: its draft lives here, from the value it opened with. */
export function EditForm(props: { initial: string; onSave: (value: string) => void; onCancel: () => void }) {
  const { t } = useApp();
  const [draft, setDraft] = useState(props.initial);
  return (
    <form
      className="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(draft);
      }}
    >
      <input
        autoFocus
        value={draft}
        maxLength={LIMITS.correctedTextChars}
        aria-label={t('review.edit')}
        data-testid="edit-input"
        onChange={(e) => setDraft(e.target.value)}
      />
      <button type="submit" className="btn primary small">
        {t('review.save')}
      </button>
      <button type="button" className="btn small" onClick={props.onCancel}>
        {t('review.cancelEdit')}
      </button>
    </form>
  );
}
