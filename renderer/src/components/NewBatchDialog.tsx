import { useEffect, useId, useMemo, useRef, useState } from 'react';
import type { BatchSummary } from '../../../shared/batch';
import { isAbsolutePath } from '../../../shared/contract';
import { useApp } from '../api/context';
import { pickedFiles, readDropped } from '../logic/dropped-files';
import { mergePaths, parsePathInput } from '../logic/engines';
import { errorText } from '../logic/error-text';
import { startBlocker, usePathChecks } from '../logic/use-path-checks';
import { useUploads } from '../logic/use-uploads';
import { saveCaptureVia } from '../logic/save-capture';
import { EnginePicker, type PlanInput } from './EnginePicker';
import { RulesForm, rulesToSend } from './rules/RulesForm';
import { EMPTY_RULES, rulesActive, type BatchRules } from '../../../shared/rules/types';
import { Modal } from './Modal';
import { PathList } from './PathList';
import type { BatchEstimate } from '../../../shared/usage';
import { needsConfirmation, planUsesVendor } from '../logic/usage';
import { SendEstimate } from './SendEstimate';
import { CameraCapture } from './camera/CameraCapture';

export type PickRequest = 'files' | 'folder' | null;

/**
 * Everything needed to start a batch: the files and folders (dropped, picked, or typed with
 * completion), an optional name, engine and task. Each path is checked by the host as it is
 * added, so a mistyped path is marked here and never becomes a batch. Where the host cannot
 * give paths (the browser host), dropped and picked files are sent to it (use-uploads) and
 * their folder becomes the batch's path.
 */
export function NewBatchDialog(props: {
  initialPaths: string[];
  /** Files dropped in a browser (no paths): sent to the host. */
  dropped?: Array<FileSystemEntry | File>;
  message: string | null;
  pick: PickRequest;
  onClose: () => void;
  /** Opens Settings (the picker's "set up" link for vendors without keys). */
  onOpenSettings?: () => void;
  onCreated: (b: BatchSummary) => void;
}) {
  const { client, info, t, locale, reportError } = useApp();
  const [paths, setPaths] = useState<string[]>(props.initialPaths);
  const [typed, setTyped] = useState('');
  const [name, setName] = useState('');
  const [plan, setPlan] = useState<PlanInput>({ engine: 'local', task: 'codes' });
  const [rules, setRules] = useState<BatchRules>(EMPTY_RULES);
  const rulesOut = rulesToSend(rules);
  const [note, setNote] = useState<string | null>(props.message);
  const [busy, setBusy] = useState(false);
  const [completions, setCompletions] = useState<string[]>([]);
  const typedRef = useRef<HTMLInputElement>(null);
  const filesRef = useRef<HTMLInputElement>(null);
  const folderRef = useRef<HTMLInputElement>(null);
  const pickedOnce = useRef(false);
  const listId = useId();
  const native = info.capabilities.nativeDialogs;
  const canUpload = !native && !!client.api.uploadFile;
  // A captured frame is a file without a path: in a browser it goes to the host like a dropped
  // file; the desktop app sends its bytes to main, which keeps it in the profile.
  const send = useMemo(
    () => (canUpload ? client.api.uploadFile!.bind(client.api) : native ? saveCaptureVia(client.api) : null),
    [canUpload, native, client.api],
  );
  const { uploads, addUploads } = useUploads(send);
  const canCapture = (canUpload || native) && typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
  const [camera, setCamera] = useState(false);

  // The uploads' folder is one of the batch's paths once its files are all there (then checked
  // like any folder). More files sent later go into the same folder.
  const [uploadedFolder, setUploadedFolder] = useState<string | null>(null);
  if (!uploads.busy && uploads.folder && uploads.folder !== uploadedFolder) setUploadedFolder(uploads.folder);
  const allPaths = uploadedFolder ? mergePaths(paths, [uploadedFolder]) : paths;
  // The uploads' folder is checked again each time more files have arrived in it.
  const checks = usePathChecks(client, allPaths, reportError, uploadedFolder && !uploads.busy ? `${uploadedFolder}\n${uploads.sent}` : null);
  const kept = uploads.sent - uploads.failed.length;
  const labels = new Map(uploadedFolder ? [[uploadedFolder, canUpload ? t('create.uploaded', { count: kept }) : t('camera.kept', { count: kept })]] : []);

  async function pick(kind: 'files' | 'folder') {
    if (!native) {
      (kind === 'files' ? filesRef : folderRef).current?.click();
      return;
    }
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
  // More paths dropped while the dialog is open arrive as new initial paths, files as `dropped`.
  useEffect(() => {
    setPaths((p) => mergePaths(p, props.initialPaths));
  }, [props.initialPaths]);
  useEffect(() => {
    if (!props.dropped || props.dropped.length === 0) return;
    if (!canUpload) {
      setNote(t('create.dropNoPaths'));
      return;
    }
    readDropped(props.dropped).then(addUploads, reportError);
  }, [props.dropped, canUpload, addUploads, reportError, t]);
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

  // Completion for the typed path: the host lists what the folder holds as one types.
  useEffect(() => {
    const text = typed.trim();
    if (!isAbsolutePath(text)) return;
    let live = true;
    const h = setTimeout(() => {
      client
        .call('paths.complete', { text })
        .then((r) => live && setCompletions(r.entries.map((e) => e.path)))
        .catch(() => undefined);
    }, 120);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [client, typed]);

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
    setCompletions([]);
    return true;
  }

  const blocker = uploads.busy ? 'uploading' : allPaths.length === 0 ? null : startBlocker(allPaths, checks);
  // What the batch would send to vendors, shown before it starts; only for the paths and plan
  // it was counted for (any change asks again).
  const [estimate, setEstimate] = useState<{ key: string; value: BatchEstimate } | null>(null);
  const estimateKey = JSON.stringify([allPaths, plan]);
  const shownEstimate = estimate?.key === estimateKey ? estimate.value : null;

  /** `confirmed`: the user saw what the batch sends to vendors and chose to send it. */
  async function start(confirmed = false) {
    if (typed.trim() && addTyped()) return; // checked first, then started with the next click
    if (allPaths.length === 0) {
      setNote(t('create.noPaths'));
      typedRef.current?.focus();
      return;
    }
    // Paths marked in red (or no image anywhere) are said beside the Start button.
    if (blocker || rulesOut === null) return;
    setBusy(true);
    try {
      if (!confirmed && planUsesVendor(plan)) {
        const value = await client.call('batches.estimate', { paths: allPaths, plan });
        if (needsConfirmation(value)) {
          setEstimate({ key: estimateKey, value });
          return;
        }
      }
      const r = await client.call('batches.create', {
        paths: allPaths,
        ...(name.trim() ? { name: name.trim() } : {}),
        plan,
        ...(rulesActive(rulesOut) ? { rules: rulesOut } : {}),
      });
      props.onCreated(r.batch);
    } catch (e) {
      reportError(e);
    } finally {
      setBusy(false);
    }
  }

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
          <p className="note" role="status" data-testid="create-note">
            {note}
          </p>
        )}
        {(native || canUpload) && (
          <div className="row">
            <button type="button" className="btn" onClick={() => void pick('files')} data-testid="add-files">
              {t('create.addFiles')}
            </button>
            <button type="button" className="btn" onClick={() => void pick('folder')} data-testid="add-folder">
              {t('create.addFolder')}
            </button>
            {canCapture && !camera && (
              <button type="button" className="btn" onClick={() => setCamera(true)} data-testid="camera-open">
                {t('camera.open')}
              </button>
            )}
            {canUpload && <span className="muted small">{t('create.uploadHint')}</span>}
          </div>
        )}
        {camera && <CameraCapture onCapture={(file) => addUploads([{ file, path: file.name }])} onClose={() => setCamera(false)} />}
        {canUpload && (
          <>
            <input ref={filesRef} type="file" multiple hidden data-testid="file-input" onChange={(e) => (addUploads(pickedFiles(e.target.files)), (e.target.value = ''))} />
            <input
              ref={folderRef}
              type="file"
              hidden
              data-testid="folder-input"
              // A folder picker: Chromium, Firefox and Safari all read this attribute.
              {...{ webkitdirectory: '' }}
              onChange={(e) => (addUploads(pickedFiles(e.target.files)), (e.target.value = ''))}
            />
          </>
        )}
        <label className="field">
          <span>{t('create.pathLabel')}</span>
          <div className="row">
            <input
              ref={typedRef}
              value={typed}
              placeholder={t('create.pathPlaceholder')}
              onChange={(e) => setTyped(e.target.value)}
              onPaste={(e) => {
                // Several paths pasted at once (one per line) are added as they are.
                const text = e.clipboardData.getData('text');
                if (!/\r?\n/.test(text.trim())) return;
                e.preventDefault();
                const added = parsePathInput(text).filter(isAbsolutePath);
                setPaths((p) => mergePaths(p, added));
              }}
              onKeyDown={(e) => {
                if (e.key === 'Enter' && typed.trim()) {
                  e.preventDefault();
                  addTyped();
                }
              }}
              list={listId}
              autoComplete="off"
              spellCheck={false}
              data-testid="path-input"
              autoFocus={!native && !canUpload}
            />
            <datalist id={listId} data-testid="path-completions">
              {completions.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
            <button type="button" className="btn" onClick={addTyped} data-testid="path-add">
              {t('create.pathAdd')}
            </button>
          </div>
        </label>
        <div className="field">
          <span>{t('create.pathsHeading', { count: allPaths.length })}</span>
          {allPaths.length === 0 ? (
            <p className="muted">{t('create.noPaths')}</p>
          ) : (
            <PathList paths={allPaths} checks={checks} labels={labels} onRemove={(p) => setPaths((all) => all.filter((x) => x !== p))} />
          )}
          {uploads.total > 0 && (
            <p className="muted small" data-testid="upload-progress" data-busy={uploads.busy ? 'true' : 'false'}>
              {t(canUpload ? 'create.uploading' : 'camera.saving', { sent: uploads.sent, total: uploads.total })}
            </p>
          )}
          {uploads.failed.length > 0 && (
            <ul className="upload-errors" data-testid="upload-errors">
              {uploads.failed.map((f) => (
                <li key={f.path} className="error-text small" data-testid="upload-error">
                  {errorText(f, t, locale)}
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
        <details className="create-rules" data-testid="create-rules">
          <summary>{t('rules.title')}</summary>
          <RulesForm value={rules} onChange={setRules} idPrefix="create" />
        </details>
        {blocker === 'fix' && <p className="error-text small" data-testid="create-blocked">{t('create.fixPaths')}</p>}
        {blocker === 'noImages' && <p className="error-text small" data-testid="create-blocked">{t('create.noImages')}</p>}
        {shownEstimate ? (
          <SendEstimate estimate={shownEstimate} busy={busy} onConfirm={() => void start(true)} onBack={() => setEstimate(null)} />
        ) : (
          <div className="actions">
            <button type="button" className="btn" onClick={props.onClose}>
              {t('create.cancel')}
            </button>
            <button type="submit" className="btn primary" disabled={busy || blocker === 'uploading' || rulesOut === null} data-testid="start-batch" data-blocked={blocker ?? undefined}>
              {t('create.start')}
            </button>
          </div>
        )}
      </form>
    </Modal>
  );
}
