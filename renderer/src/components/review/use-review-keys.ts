import { useEffect, useRef, useState } from 'react';
import { keyAction, type KeyCommand } from '../../state/review';

/**
 * The review view's keyboard: window-wide keys mapped to commands by state/review.ts's
 * keyAction (so the mapping is tested without a browser), and Space held for panning. The
 * handler table is read at key time, so it may change every render without re-subscribing.
 * `only` (the shortcut list is open) limits the keys that act.
 */
export function useReviewKeys(handlers: Partial<Record<KeyCommand, () => void>>, only?: readonly KeyCommand[]) {
  const [spaceDown, setSpaceDown] = useState(false);
  const latest = useRef({ handlers, only });
  useEffect(() => {
    latest.current = { handlers, only };
  });

  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      // Another dialog (export, confirm) has the keyboard; the shortcut list is ours.
      if (document.querySelector('dialog[open]:not(.help-dialog)')) return;
      const target = e.target as HTMLElement | null;
      const inTextField =
        !!target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
      if (e.key === ' ' && !inTextField && target?.tagName !== 'BUTTON' && target?.tagName !== 'A') {
        setSpaceDown(true);
        e.preventDefault();
        return;
      }
      const cmd = keyAction({ key: e.key, shiftKey: e.shiftKey, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inTextField });
      if (!cmd) return;
      const { handlers: h, only: o } = latest.current;
      if (o && !o.includes(cmd)) return;
      // Buttons keep their own Enter/Space.
      if (e.key === 'Enter' && target?.tagName === 'BUTTON') return;
      const run = h[cmd];
      if (!run) return;
      e.preventDefault();
      run();
    }
    function onKeyUp(e: KeyboardEvent) {
      if (e.key === ' ') setSpaceDown(false);
    }
    window.addEventListener('keydown', onKey);
    window.addEventListener('keyup', onKeyUp);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('keyup', onKeyUp);
    };
  }, []);

  return { spaceDown };
}
