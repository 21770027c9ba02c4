import { useEffect, useRef, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { useApp } from '../api/context';
import { Modal } from './Modal';
import { mergePaths, parsePathInput } from '../logic/engines';
import { EnginePicker, type PlanInput } from './EnginePicker';
import { isAbsolutePath } from '../../../shared/contract';

export type PickRequest = 'files' | 'folder' | null;

/**
 * Everything needed to start a batch: the files and folders (dropped, picked with the native
 * dialogs, or typed when the host cannot give paths), an optional name, engine and task.
 */
export function NewBatchDialog(props: {
  initialPaths: string[];
  message: string | null;
  pick: PickRequest;
  onClose: () => void;
  /** Opens Settings (the picker's "set up" link for vendors without keys). */
  onOpenSettings?: () => void;
  onCreated: (b: BatchSummary, skipped: { path: string; reason: string }[]) => void;
}) {
  const { client, info, t, reportError } = useApp();
  const [paths, setPaths] = useState<string[]>(props.initialPaths);
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  const [plan, setPlan] = useState<PlanInput>({ engine: 'local', task: 'codes' });
  const [note, setNote] = useState<string | null>(props.message);
  const [busy, setBusy] = useState(false);
  const typedRef = useRef<HTMLTextAreaElement>(null);
  const pickedOnce = useRef(false);

  async function pick(kind: 'files' | 'folder') {
    try {
      const r = await client.call(kind === 'files' ? 'dialogs.openFiles' : 'dialogs.openFolder');
      if (r.status === 'selected') setPaths((p) => mergePaths(p, r.paths));
      else if (r.status === 'unavailable') {
        setNote(r.reason);
        typedRef.current?.focus();
      }
    } catch (e) {
      reportError(e);
    }
  }

  // A menu command (File > Add Files...) opens this dialog and the native picker at once.
  // More files dropped while the dialog is open arrive as new initial paths.
  useEffect(() => {
    setPaths((p) => mergePaths(p, props.initialPaths));
  }, [props.initialPaths]);
  useEffect(() => {
    if (props.message) setNote(props.message);
  }, [props.message]);

  useEffect(() => {
    if (props.pick && !pickedOnce.current) {
      pickedOnce.current = true;
      void pick(props.pick);
    }
    // Once, when the dialog opens (a new opening is a new dialog: App keys it).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  function addTyped(): boolean {
    const added = parsePathInput(typed);
    if (added.length === 0) return false;
    const bad = added.filter((p) => !isAbsolutePath(p));
    if (bad.length > 0) {
      setNote(`${bad[0]}: ${t('create.pathPlaceholder')}`);
      return false;
    }
    setPaths((p) => mergePaths(p, added));
    setTyped('');
    return true;
  }

  async function start() {
    let all = paths;
    if (typed.trim()) {
      const added = parsePathInput(typed).filter(isAbsolutePath);
      all = mergePaths(paths, added);
    }
    if (all.length === 0) {
      setNote(t('create.noPaths'));
      typedRef.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const r = await client.call('batches.create', {
        paths: all,
        ...(name.trim() ? { name: name.trim() } : {}),
        plan,
      });
      props.onCreated(r.batch, r.skipped);
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  }

  const canPick = info.capabilities.nativeDialogs;
  return (
    <Modal title={t('create.title')} onClose={props.onClose} className="create-dialog" testId="create-dialog">
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void start();
        }}
      >
        {note && (
          <p className="note" role="status">
            {note}
          </p>
        )}
        {canPick && (
          <div className="row">
            <button type="button" className="btn" onClick={() => void pick('files')}>
              {t('create.addFiles')}
            </button>
            <button type="button" className="btn" onClick={() => void pick('folder')}>
              {t('create.addFolder')}
            </button>
          </div>
        )}
        <label className="field">
          <span>{t('create.pathLabel')}</span>
          <div className="row">
            <textarea
              ref={typedRef}
              rows={2}
              value={typed}
              placeholder={t('create.pathPlaceholder')}
              onChange={(e) => setTyped(e.target.value)}
              data-testid="path-input"
              autoFocus={!canPick}
            />
            <button type="button" className="btn" onClick={addTyped} data-testid="path-add">
              {t('create.pathAdd')}
            </button>
          </div>
        </label>
        <div className="field">
          <span>{t('create.pathsHeading', { count: paths.length })}</span>
          {paths.length === 0 ? (
            <p className="muted">{t('create.noPaths')}</p>
          ) : (
            <ul className="path-list" data-testid="path-list">
              {paths.map((p) => (
                <li key={p}>
                  <span className="mono" title={p}>
                    {p}
                  </span>
                  <button type="button" className="btn link" onClick={() => setPaths((all) => all.filter((x) => x !== p))} aria-label={`${t('create.remove')} ${p}`}>
                    {t('create.remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
        <label className="field">
          <span>{t('create.name')}</span>
          <input value={name} maxLength={200} placeholder={t('create.namePlaceholder')} onChange={(e) => setName(e.target.value)} data-testid="batch-name" />
        </label>
        <EnginePicker onPlan={setPlan} onOpenSettings={props.onOpenSettings} />
        <div className="actions">
          <button type="button" className="btn" onClick={props.onClose}>
            {t('create.cancel')}
          </button>
          <button type="submit" className="btn primary" disabled={busy} data-testid="start-batch">
            {t('create.start')}
          </button>
        </div>
      </form>
    </Modal>
  );
}
