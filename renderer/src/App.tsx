import { useCallback, useEffect, useMemo, useReducer, useRef, useState } from 'react';
import { ApiError, type AppInfo, type ScanDeskClient, type Settings } from '../../shared/contract';
import { errorText } from './logic/error-text';
import { AppContext, errorMessage, type AppContextValue } from './api/context';
import { pickLocale, translator, type Locale } from './i18n/i18n';
import { batchesReducer, initialBatches } from './state/batches';
import { Sidebar } from './components/Sidebar';
import { BatchView, type BatchAction, type GridQuery } from './components/BatchView';
import { ReviewView } from './components/review/ReviewView';
import { NewBatchDialog, type PickRequest } from './components/NewBatchDialog';
import { ExportDialog } from './components/ExportDialog';
import { ConfirmDialog } from './components/ConfirmDialog';
import { SettingsView } from './components/SettingsView';
import { RerunDialog } from './components/RerunDialog';
import { addNotice, type BatchNotices } from './logic/notices';
import { useSharedQueue } from './components/shared-queue/use-shared-queue';
import { useDrop } from './logic/use-drop';
import { mergePaths } from './logic/engines';
import { useUndo } from './logic/use-undo';

interface Toast {
  id: number;
  kind: 'info' | 'error';
  text: string;
}

type Dialog =
  | { kind: 'create'; paths: string[]; dropped?: Array<FileSystemEntry | File>; message: string | null; pick: PickRequest; seq?: number }
  | { kind: 'export'; batchId: number }
  | { kind: 'delete'; batchId: number }
  | { kind: 'rerun'; batchId: number }
  | null;

const LOCALE_KEY = 'scandesk.locale';

export function App(props: { client: ScanDeskClient; info: AppInfo; initialLocale: Locale; initialTheme: Settings['theme'] }) {
  const { client, info } = props;
  const [locale, setLocale] = useState<Locale>(props.initialLocale);
  const [theme, setTheme] = useState<Settings['theme']>(props.initialTheme);
  const [batches, dispatch] = useReducer(batchesReducer, initialBatches);
  const [review, setReview] = useState<{ index: number; total: number } | null>(null);
  const [query, setQuery] = useState<GridQuery>({ filter: 'all', search: '' });
  const [dialog, setDialogState] = useState<Dialog>(null);
  // Each opening is a fresh dialog (a second File > Add Files... re-runs the picker).
  const dialogSeq = useRef(0);
  const setDialog = useCallback((d: Dialog) => setDialogState(d && d.kind === 'create' ? { ...d, seq: ++dialogSeq.current } : d), []);
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [focusSearch, setFocusSearch] = useState(0);
  const [settingsOpen, setSettingsOpen] = useState(false);
  // Vendor notices, once per batch and message, shown calmly above that batch's pages.
  const [notices, setNotices] = useState<BatchNotices>({});
  // ID numbers stay masked in lists until revealed; the choice lasts for this session only.
  const [revealPersonal, setRevealPersonal] = useState(false);
  const toastId = useRef(0);
  const t = useMemo(() => translator(locale), [locale]);


  const pushToast = useCallback((kind: Toast['kind'], text: string) => {
    const id = ++toastId.current;
    setToasts((all) => [...all.slice(-3), { id, kind, text }]);
    if (kind === 'info') setTimeout(() => setToasts((all) => all.filter((x) => x.id !== id)), 8000);
  }, []);
  // An engine error in the reader's language (by its code), with the engine's specifics.
  const reportError = useCallback(
    (e: unknown) => pushToast('error', e instanceof ApiError ? errorText(e, t, locale) : errorMessage(e)),
    [pushToast, t, locale],
  );
  const notify = useCallback((text: string) => pushToast('info', text), [pushToast]);
  const sharedQueue = useSharedQueue(client, reportError);
  const showing = sharedQueue?.showing ?? 'local';
  // What the host said at its start before this window connected (e.g. OSS pages it could not delete).
  const startupNotices = info.notices;
  useEffect(() => {
    for (const m of startupNotices ?? []) pushToast('error', m);
  }, [startupNotices, pushToast]);

  const undoer = useUndo(client, reportError);
  const { undo, redo } = undoer;

  const ctx: AppContextValue = useMemo(() => ({ client, info, t, locale, reportError, notify }), [client, info, t, locale, reportError, notify]);

  useEffect(() => {
    document.documentElement.lang = locale;
    document.title = t('app.title');
  }, [locale, t]);

  const reload = useCallback(async () => {
    try {
      dispatch({ type: 'loaded', batches: await client.call('batches.list') });
    } catch (e) {
      reportError(e);
    }
  }, [client, reportError]);

  // Batch ids of this desk and of a shared queue are not the same batches: switching starts over.
  const shownBefore = useRef(showing);
  useEffect(() => {
    if (shownBefore.current === showing) return;
    shownBefore.current = showing;
    dispatch({ type: 'reset' });
    setReview(null);
    void reload();
  }, [showing, reload]);

  const selectedRef = useRef<number | null>(null);
  selectedRef.current = batches.selectedId;

  useEffect(() => {
    void reload();
    const offs = [
      client.on('batch.progress', (p) => dispatch({ type: 'progress', progress: p })),
      client.on('batches.changed', () => void reload()),
      client.on('notice', (n) =>
        // Said at the app's start, about no batch (OSS pages left behind): it stays until closed.
        n.batchId === 0 ? pushToast('error', n.message) : setNotices((all) => {
          const next = addNotice(all, n);
          // The open batch shows it in its notice bar; a toast only for a batch out of view.
          if (next !== all && n.batchId !== selectedRef.current) notify(n.message);
          return next;
        }),
      ),
      client.on('paths.opened', (p) => setDialog({ kind: 'create', paths: p.paths, message: null, pick: null })),
      client.on('menu.command', ({ command }) => {
        const sel = selectedRef.current;
        if (command === 'addFiles') setDialog({ kind: 'create', paths: [], message: null, pick: 'files' });
        else if (command === 'addFolder') setDialog({ kind: 'create', paths: [], message: null, pick: 'folder' });
        else if (command === 'export' && sel !== null) setDialog({ kind: 'export', batchId: sel });
        else if (command === 'settings') setSettingsOpen(true);
        else if (command === 'find') {
          setReview(null);
          setFocusSearch((n) => n + 1);
        } else if (command === 'about') notify(`${info.name} ${info.version}`);
        else if (command === 'undo' || command === 'redo') {
          // In a text field the menu undoes typing, as the platform's Edit menu does.
          if (inTextField(document.activeElement)) document.execCommand(command);
          else if (!document.querySelector('dialog[open]')) historyRef.current(command);
        }
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [client, reload, notify, pushToast, info.name, info.version, setDialog]);

  const changeLocale = useCallback(
    (l: Locale) => {
      setLocale(l);
      try {
        localStorage.setItem(LOCALE_KEY, l);
      } catch {
        // Storage can be disabled; the host setting below still remembers the choice.
      }
      client.call('settings.set', { language: l }).catch(reportError);
    },
    [client, reportError],
  );

  const changeTheme = useCallback(
    (th: Settings['theme']) => {
      setTheme(th);
      applyTheme(th);
      client.call('settings.set', { theme: th }).catch(reportError);
    },
    [client, reportError],
  );

  const drop = useDrop(client.api, ({ paths, entries }) => {
    // A drop onto an open new-batch dialog adds to it instead of starting over.
    setDialogState((cur) =>
      cur?.kind === 'create'
        ? { ...cur, paths: mergePaths(cur.paths, paths), dropped: entries }
        : { kind: 'create', paths, dropped: entries, message: null, pick: null, seq: ++dialogSeq.current },
    );
  });

  const selected = batches.batches.find((b) => b.id === batches.selectedId) ?? null;

  // Ctrl+Z (Cmd+Z) undoes the last verdict, edit, bulk verdict, drawn code or "no code" mark in
  // the open batch; Ctrl+Shift+Z (Cmd+Shift+Z) or Ctrl+Y redoes it. Edit > Undo/Redo in the
  // desktop menu send the same (menu.command). A text field keeps its own undo; another dialog
  // has the keyboard.
  const history = useCallback(
    (kind: 'undo' | 'redo') => {
      const id = selectedRef.current;
      if (id === null) return;
      void (kind === 'undo' ? undo(id) : redo(id)).then((n) =>
        notify(n > 0 ? t(kind === 'undo' ? 'undo.done' : 'redo.done', { count: n }) : t(kind === 'undo' ? 'undo.nothing' : 'redo.nothing')),
      );
    },
    [undo, redo, notify, t],
  );
  const historyRef = useRef(history);
  useEffect(() => {
    historyRef.current = history;
  });
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
      const key = e.key.toLowerCase();
      const kind = key === 'z' ? (e.shiftKey ? 'redo' : 'undo') : key === 'y' && !e.shiftKey ? 'redo' : null;
      if (!kind) return;
      if (inTextField(e.target) || document.querySelector('dialog[open]')) return;
      e.preventDefault();
      historyRef.current(kind);
    }
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const clearNotices = useCallback((batchId: number) => setNotices((all) => (all[batchId]?.length ? { ...all, [batchId]: [] } : all)), []);

  const select = useCallback((id: number) => {
    dispatch({ type: 'select', batchId: id });
    setSettingsOpen(false);
    setReview(null);
    setQuery({ filter: 'all', search: '' });
  }, []);

  const openReview = useCallback((index: number, total: number) => setReview({ index, total }), []);

  async function batchAction(a: BatchAction) {
    if (!selected) return;
    if (a === 'rerun') return setDialog({ kind: 'rerun', batchId: selected.id });
    if (a === 'export') return setDialog({ kind: 'export', batchId: selected.id });
    if (a === 'delete') return setDialog({ kind: 'delete', batchId: selected.id });
    const name = a === 'retry' ? 'batches.retryFailed' : (`batches.${a}` as const);
    try {
      dispatch({ type: 'upsert', batch: await client.call(name, { batchId: selected.id }) });
      // Resuming, retrying or going on without the stopped engine answers the notices (keys
      // replaced, quota topped up, or the user chose): clear them.
      if (a === 'resume' || a === 'retry' || a === 'finishWithoutStopped') clearNotices(selected.id);
    } catch (e) {
      reportError(e);
    }
  }

  const dialogBatch = dialog && dialog.kind !== 'create' ? batches.batches.find((b) => b.id === dialog.batchId) : undefined;

  return (
    <AppContext.Provider value={ctx}>
      <div className="app" {...drop.handlers}>
        <Sidebar
          batches={batches.batches}
          loaded={batches.loaded}
          selectedId={batches.selectedId}
          onSelect={select}
          onNew={() => setDialog({ kind: 'create', paths: [], message: null, pick: null })}
          onLocale={changeLocale}
          theme={theme}
          onTheme={changeTheme}
          onSettings={() => setSettingsOpen(true)}
          settingsOpen={settingsOpen}
          sharedQueue={sharedQueue}
        />
        <main className="main">
          {settingsOpen ? (
            <SettingsView onClose={() => setSettingsOpen(false)} onChanged={() => undefined} sharedQueue={sharedQueue} />
          ) : selected && review ? (
            <ReviewView
              key={`${selected.id}`}
              batch={selected}
              query={query}
              index={review.index}
              total={review.total}
              onClose={() => setReview(null)}
              onReviewed={(before, after) => undoer.record(selected.id, before, after)}
              onUndoable={(step) => undoer.recordStep(selected.id, step)}
              reviewVersion={undoer.version}
              revealPersonal={revealPersonal}
              onRevealPersonal={setRevealPersonal}
            />
          ) : selected ? (
            <BatchView
              key={selected.id}
              batch={selected}
              query={query}
              onQuery={setQuery}
              onOpen={openReview}
              onAction={(a) => void batchAction(a)}
              focusSearch={focusSearch}
              notices={notices[selected.id] ?? []}
              onDismissNotices={() => clearNotices(selected.id)}
              onReviewed={(before, after) => undoer.record(selected.id, before, after)}
              reviewVersion={undoer.version}
            />
          ) : (
            <div className="empty big">
              <p className="empty-title">{batches.batches.length === 0 ? t('batches.empty.title') : t('grid.noBatch.title')}</p>
              <p>{batches.batches.length === 0 ? t('batches.empty.body') : t('grid.noBatch.body')}</p>
              <button type="button" className="btn primary" onClick={() => setDialog({ kind: 'create', paths: [], message: null, pick: null })}>
                {t('batches.new')}
              </button>
            </div>
          )}
        </main>
        {drop.over && (
          <div className="drop-overlay" aria-hidden="true">
            <p>{t('create.dropHint')}</p>
          </div>
        )}
        {dialog?.kind === 'create' && (
          <NewBatchDialog
            key={dialog.seq}
            initialPaths={dialog.paths}
            dropped={dialog.dropped}
            message={dialog.message}
            pick={dialog.pick}
            onClose={() => setDialog(null)}
            onOpenSettings={() => {
              setDialog(null);
              setSettingsOpen(true);
            }}
            onCreated={(b) => {
              // Ignored files are said once, in the batch's header (with their list).
              setDialog(null);
              dispatch({ type: 'upsert', batch: b });
              select(b.id);
            }}
          />
        )}
        {dialog?.kind === 'rerun' && dialogBatch && (
          <RerunDialog
            batch={dialogBatch}
            onClose={() => setDialog(null)}
            onOpenSettings={() => {
              setDialog(null);
              setSettingsOpen(true);
            }}
            onDone={(b) => {
              setDialog(null);
              clearNotices(b.id);
              dispatch({ type: 'upsert', batch: b });
            }}
          />
        )}
        {dialog?.kind === 'export' && dialogBatch && <ExportDialog batch={dialogBatch} onClose={() => setDialog(null)} />}
        {dialog?.kind === 'delete' && dialogBatch && (
          <ConfirmDialog
            title={t('actions.confirmDelete.title', { name: dialogBatch.name })}
            body={t('actions.confirmDelete.body')}
            confirm={t('actions.confirmDelete.ok')}
            onClose={() => setDialog(null)}
            onConfirm={() => {
              const id = dialogBatch.id;
              setDialog(null);
              client
                .call('batches.delete', { batchId: id })
                .then(() => dispatch({ type: 'removed', batchId: id }))
                .catch(reportError);
            }}
          />
        )}
        <div className="toasts" role="status" aria-live="polite">
          {toasts.map((x) => (
            <div key={x.id} className={`toast ${x.kind}`} role={x.kind === 'error' ? 'alert' : undefined} data-testid={`toast-${x.kind}`}>
              <span>{x.kind === 'error' ? t('app.error.generic', { message: x.text }) : x.text}</span>
              <button type="button" className="btn link" onClick={() => setToasts((all) => all.filter((y) => y.id !== x.id))}>
                {t('app.dismiss')}
              </button>
            </div>
          ))}
        </div>
      </div>
    </AppContext.Provider>
  );
}

/** Light or dark by choice; 'system' leaves it to prefers-color-scheme (see styles.css). */
export function applyTheme(theme: Settings['theme']): void {
  if (theme === 'system') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}

export function initialLocale(hostLanguage: string | null): Locale {
  let stored: string | null;
  try {
    stored = localStorage.getItem(LOCALE_KEY);
  } catch {
    stored = null;
  }
  const preferred = hostLanguage && hostLanguage !== 'system' ? hostLanguage : stored;
  return pickLocale(preferred, navigator.languages ?? [navigator.language]);
}

/** Where the platform's own undo applies (typing), not the review's. */
function inTextField(el: EventTarget | Element | null): boolean {
  const target = el as HTMLElement | null;
  return !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.isContentEditable);
}
