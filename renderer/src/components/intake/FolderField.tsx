import type { FolderChoice, FolderPurpose } from '../../../../shared/contract';
import { useApp } from '../../api/context';

/**
 * A folder ScanDesk is to watch or write into. In the desktop app it is chosen in the system's
 * folder dialog, which answers a one-time handle (the main process keeps the path; the folder
 * is shown here, never sent back); in a browser the path is typed.
 */
export type FolderValue = { kind: 'typed'; path: string } | { kind: 'chosen'; handle: string; folder: string } | null;

/** What a request takes for this value; null when nothing was typed or chosen. */
export function folderChoiceOf(value: FolderValue): FolderChoice | null {
  if (!value) return null;
  if (value.kind === 'chosen') return { handle: value.handle };
  return value.path.trim() === '' ? null : value.path.trim();
}

/** The folder dialog for `purpose`: the chosen folder and its handle, or null if the user cancelled. */
export function useChooseFolder(): (purpose: FolderPurpose, title: string) => Promise<FolderValue> {
  const { client } = useApp();
  return async (purpose, title) => {
    const r = await client.call('dialogs.chooseFolder', { purpose, title });
    return r.status === 'selected' ? { kind: 'chosen', handle: r.handle, folder: r.folder } : null;
  };
}

export function FolderField(props: {
  label: string;
  purpose: FolderPurpose;
  dialogTitle: string;
  value: FolderValue;
  onChange: (v: FolderValue) => void;
  placeholder: string;
  testid: string;
  required?: boolean;
}) {
  const { t, info, reportError } = useApp();
  const choose = useChooseFolder();
  if (!info.capabilities.nativeDialogs) {
    return (
      <label className="field grow">
        <span>{props.label}</span>
        <input
          className="grow"
          value={props.value?.kind === 'typed' ? props.value.path : ''}
          onChange={(e) => props.onChange({ kind: 'typed', path: e.target.value })}
          required={props.required}
          placeholder={props.placeholder}
          spellCheck={false}
          data-testid={props.testid}
        />
      </label>
    );
  }
  const chosen = props.value?.kind === 'chosen' ? props.value.folder : null;
  return (
    <div className="field grow">
      <span>{props.label}</span>
      <span className="row">
        <code className={`grow chosen-folder${chosen ? '' : ' muted'}`} data-testid={`${props.testid}-chosen`}>
          {chosen ?? t('folder.notChosen')}
        </code>
        <button
          type="button"
          className="btn"
          onClick={() =>
            void choose(props.purpose, props.dialogTitle).then((v) => {
              if (v) props.onChange(v);
            }, reportError)
          }
          data-testid={`${props.testid}-choose`}
        >
          {t('hot.choose')}
        </button>
        {chosen && !props.required && (
          <button type="button" className="btn" onClick={() => props.onChange(null)} data-testid={`${props.testid}-clear`}>
            {t('folder.clear')}
          </button>
        )}
      </span>
    </div>
  );
}
