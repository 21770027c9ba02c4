/**
 * The review view's cursor: which page of the current list, which detection on it, and
 * whether the value editor or the shortcut overlay is open. Keys map to actions through
 * `keyAction`, so the whole keyboard behaviour is testable without a browser.
 */
export interface ReviewState {
  index: number; // page index within the filtered list
  total: number;
  detection: number; // -1 = none selected
  detectionCount: number;
  editing: boolean;
  help: boolean;
}

export type ReviewAction =
  | { type: 'open'; index: number; total: number }
  | { type: 'total'; total: number }
  | { type: 'pageLoaded'; detectionCount: number }
  | { type: 'nextPage' }
  | { type: 'prevPage' }
  | { type: 'nextDetection' }
  | { type: 'prevDetection' }
  | { type: 'selectDetection'; detection: number }
  | { type: 'edit' }
  | { type: 'endEdit' }
  | { type: 'toggleHelp' }
  | { type: 'closeHelp' };

export const initialReview: ReviewState = { index: 0, total: 0, detection: -1, detectionCount: 0, editing: false, help: false };

export function reviewReducer(s: ReviewState, a: ReviewAction): ReviewState {
  switch (a.type) {
    case 'open':
      return { ...initialReview, index: clampIndex(a.index, a.total), total: a.total };
    case 'total':
      return { ...s, total: a.total, index: clampIndex(s.index, a.total) };
    case 'pageLoaded':
      return { ...s, detectionCount: a.detectionCount, detection: a.detectionCount > 0 ? Math.min(Math.max(s.detection, 0), a.detectionCount - 1) : -1 };
    case 'nextPage':
      return s.index + 1 < s.total ? { ...s, index: s.index + 1, detection: 0, detectionCount: 0, editing: false } : s;
    case 'prevPage':
      return s.index > 0 ? { ...s, index: s.index - 1, detection: 0, detectionCount: 0, editing: false } : s;
    case 'nextDetection':
      if (s.detectionCount === 0) return s;
      return { ...s, editing: false, detection: (s.detection + 1) % s.detectionCount };
    case 'prevDetection':
      if (s.detectionCount === 0) return s;
      return { ...s, editing: false, detection: (s.detection - 1 + s.detectionCount) % s.detectionCount };
    case 'selectDetection':
      return a.detection >= 0 && a.detection < s.detectionCount ? { ...s, detection: a.detection } : s;
    case 'edit':
      return s.detection >= 0 ? { ...s, editing: true } : s;
    case 'endEdit':
      return { ...s, editing: false };
    case 'toggleHelp':
      return { ...s, help: !s.help };
    case 'closeHelp':
      return { ...s, help: false };
  }
}

function clampIndex(i: number, total: number): number {
  return total <= 0 ? 0 : Math.min(Math.max(0, i), total - 1);
}

export type KeyCommand =
  | 'nextPage'
  | 'prevPage'
  | 'nextDetection'
  | 'prevDetection'
  | 'accept'
  | 'acceptPage'
  | 'reject'
  | 'edit'
  | 'zoomIn'
  | 'zoomOut'
  | 'fit'
  | 'help'
  | 'drawCode'
  | 'noCode'
  | 'close';

export interface KeyInput {
  key: string;
  shiftKey?: boolean;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The key went to a text field: only Escape is ours then. */
  inTextField?: boolean;
}

/** The review view's shortcuts. Returns null for keys that are not ours (let them be). */
export function keyAction(e: KeyInput): KeyCommand | null {
  if (e.key === 'Escape') return 'close';
  if (e.inTextField) return null;
  const mod = e.ctrlKey || e.metaKey;
  if (e.altKey) return null;
  switch (e.key) {
    case '+':
    case '=':
      return 'zoomIn';
    case '-':
    case '_':
      return 'zoomOut';
    case '0':
      return 'fit';
  }
  if (mod) return null;
  switch (e.key) {
    case 'j':
    case 'J':
    case 'ArrowRight':
    case 'PageDown':
      return 'nextPage';
    case 'k':
    case 'K':
    case 'ArrowLeft':
    case 'PageUp':
      return 'prevPage';
    case 'Tab':
      return e.shiftKey ? 'prevDetection' : 'nextDetection';
    case 'ArrowDown':
      return 'nextDetection';
    case 'ArrowUp':
      return 'prevDetection';
    case 'a':
      return 'accept';
    case 'A':
      return e.shiftKey ? 'acceptPage' : 'accept';
    case 'r':
    case 'R':
      return 'reject';
    case 'e':
    case 'E':
    case 'Enter':
    case 'F2':
      return 'edit';
    case 'f':
    case 'F':
      return 'fit';
    case '?':
      return 'help';
    case 'b':
    case 'B':
      return 'drawCode';
    case 'n':
    case 'N':
      return 'noCode';
  }
  return null;
}

/** The shortcut list the UI shows (hint bar and ? overlay), from the same table as above. */
export const SHORTCUTS = [
  { keys: ['J', '→'], label: 'help.nextPage' },
  { keys: ['K', '←'], label: 'help.prevPage' },
  { keys: ['Tab', '↓'], label: 'help.nextDetection' },
  { keys: ['Shift+Tab', '↑'], label: 'help.prevDetection' },
  { keys: ['A'], label: 'help.accept' },
  { keys: ['Shift+A'], label: 'help.acceptPage' },
  { keys: ['Ctrl+Z'], label: 'help.undo' },
  { keys: ['Ctrl+Shift+Z', 'Ctrl+Y'], label: 'help.redo' },
  { keys: ['R'], label: 'help.reject' },
  { keys: ['E', 'Enter'], label: 'help.edit' },
  { keys: ['+', '−'], label: 'help.zoom' },
  { keys: ['0', 'F'], label: 'help.fit' },
  { keys: ['Space+drag'], label: 'help.pan' },
  { keys: ['B'], label: 'help.drawCode' },
  { keys: ['N'], label: 'help.noCode' },
  { keys: ['Esc'], label: 'help.close2' },
  { keys: ['?'], label: 'help.help' },
] as const;
