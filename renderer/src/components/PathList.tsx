import type { PathCheck } from '../../../shared/contract';
import { useApp } from '../api/context';
import { errorText } from '../logic/error-text';

/**
 * The new-batch dialog's list of paths, each with what it holds (checked by the host before a
 * batch exists): "Folder · 450 images, 476 other files ignored", or the reason it cannot be used.
 */
export function PathList(props: { paths: string[]; checks: ReadonlyMap<string, PathCheck>; onRemove: (path: string) => void; labels?: ReadonlyMap<string, string> }) {
  const { t, locale } = useApp();
  return (
    <ul className="path-list" data-testid="path-list">
      {props.paths.map((p) => {
        const c = props.checks.get(p);
        return (
          <li key={p} data-testid="path-row" data-state={!c ? 'checking' : c.error ? 'error' : 'ok'}>
            <div className="path-main">
              <span className="mono path-text" title={p}>
                {props.labels?.get(p) ?? p}
              </span>
              <span className={`small ${c?.error ? 'error-text' : 'muted'}`} data-testid="path-check">
                {!c ? t('create.checking') : c.error ? errorText(c.error, t, locale) : describe(c, t)}
              </span>
            </div>
            <button type="button" className="btn link" onClick={() => props.onRemove(p)} aria-label={`${t('create.remove')} ${p}`}>
              {t('create.remove')}
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function describe(c: PathCheck, t: ReturnType<typeof useApp>['t']): string {
  if (c.kind === 'file') return c.images > 0 ? t('create.check.file') : t('create.check.fileOther');
  const parts = [t('create.check.images', { count: c.images })];
  if (c.others > 0) parts.push(t('create.check.others', { count: c.others }));
  return `${t('create.check.folder')} · ${parts.join(t('list.separator'))}${c.capped ? ` ${t('create.check.capped')}` : ''}`;
}
