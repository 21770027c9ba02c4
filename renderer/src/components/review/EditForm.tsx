import { useState } from 'react';
import { LIMITS } from '../../../../shared/contract';
import { useApp } from '../../api/context';

/**
 * The value editor of one detection: a text box as wide as the panel that grows with the
 * value (long QR payloads, values with line breaks). Enter saves (the caller accepts the value
 * and moves on), Shift+Enter starts a new line, Esc cancels. The draft lives here.
 */
export function EditForm(props: { initial: string; onSave: (value: string) => void; onCancel: () => void }) {
  const { t } = useApp();
  const [draft, setDraft] = useState(props.initial);
  const rows = Math.min(8, Math.max(1, Math.ceil(draft.length / 34), draft.split('\n').length));
  return (
    <form
      className="edit-form"
      onSubmit={(e) => {
        e.preventDefault();
        props.onSave(draft);
      }}
    >
      <textarea
        autoFocus
        value={draft}
        rows={rows}
        maxLength={LIMITS.correctedTextChars}
        aria-label={t('review.edit')}
        data-testid="edit-input"
        spellCheck={false}
        onFocus={(e) => e.currentTarget.select()}
        onChange={(e) => setDraft(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && !e.shiftKey && !e.nativeEvent.isComposing) {
            e.preventDefault();
            props.onSave(draft);
          }
        }}
      />
      <div className="row">
        <button type="submit" className="btn primary small">
          {t('review.save')}
        </button>
        <button type="button" className="btn small" onClick={props.onCancel}>
          {t('review.cancelEdit')}
        </button>
      </div>
    </form>
  );
}
