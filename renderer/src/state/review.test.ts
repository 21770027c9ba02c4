import { describe, expect, it } from 'vitest';
import { SHORTCUTS, initialReview, keyAction, reviewReducer, type ReviewState } from './review';
import { en } from '../i18n/en';

const open = (index: number, total: number, count = 3): ReviewState =>
  reviewReducer(reviewReducer(initialReview, { type: 'open', index, total }), { type: 'pageLoaded', detectionCount: count });

describe('reviewReducer', () => {
  it('opens at the clicked page and selects its first detection once loaded', () => {
    const s = open(4, 10);
    expect(s.index).toBe(4);
    expect(s.detection).toBe(0);
  });

  it('moves between pages within bounds', () => {
    let s = open(0, 2);
    s = reviewReducer(s, { type: 'prevPage' });
    expect(s.index).toBe(0);
    s = reviewReducer(s, { type: 'nextPage' });
    expect(s.index).toBe(1);
    expect(reviewReducer(s, { type: 'nextPage' })).toBe(s);
  });

  it('cycles through detections both ways', () => {
    let s = open(0, 1, 3);
    s = reviewReducer(s, { type: 'nextDetection' });
    s = reviewReducer(s, { type: 'nextDetection' });
    expect(s.detection).toBe(2);
    s = reviewReducer(s, { type: 'nextDetection' });
    expect(s.detection).toBe(0);
    s = reviewReducer(s, { type: 'prevDetection' });
    expect(s.detection).toBe(2);
  });

  it('has no detection to select or edit on an empty page', () => {
    const s = open(0, 1, 0);
    expect(s.detection).toBe(-1);
    expect(reviewReducer(s, { type: 'nextDetection' })).toBe(s);
    expect(reviewReducer(s, { type: 'edit' }).editing).toBe(false);
  });

  it('closes the editor when moving on', () => {
    let s = reviewReducer(open(0, 3), { type: 'edit' });
    expect(s.editing).toBe(true);
    s = reviewReducer(s, { type: 'nextPage' });
    expect(s.editing).toBe(false);
  });

  it('keeps the page index valid when the list shrinks', () => {
    const s = reviewReducer(open(9, 10), { type: 'total', total: 4 });
    expect(s.index).toBe(3);
  });
});

describe('keyAction', () => {
  it('maps the documented keys', () => {
    expect(keyAction({ key: 'j' })).toBe('nextPage');
    expect(keyAction({ key: 'ArrowLeft' })).toBe('prevPage');
    expect(keyAction({ key: 'Tab' })).toBe('nextDetection');
    expect(keyAction({ key: 'Tab', shiftKey: true })).toBe('prevDetection');
    expect(keyAction({ key: 'a' })).toBe('accept');
    expect(keyAction({ key: 'A', shiftKey: true })).toBe('acceptPage');
    expect(keyAction({ key: 'A' })).toBe('accept');
    expect(keyAction({ key: 'R', shiftKey: true })).toBe('reject');
    expect(keyAction({ key: 'Enter' })).toBe('edit');
    expect(keyAction({ key: '+' })).toBe('zoomIn');
    expect(keyAction({ key: '=', ctrlKey: true })).toBe('zoomIn');
    expect(keyAction({ key: '?' })).toBe('help');
    expect(keyAction({ key: 'Escape' })).toBe('close');
  });

  it('leaves typing in a text field alone, except Escape', () => {
    expect(keyAction({ key: 'a', inTextField: true })).toBeNull();
    expect(keyAction({ key: 'Enter', inTextField: true })).toBeNull();
    expect(keyAction({ key: 'Escape', inTextField: true })).toBe('close');
  });

  it('does not steal browser shortcuts', () => {
    expect(keyAction({ key: 'a', ctrlKey: true })).toBeNull();
    expect(keyAction({ key: 'r', metaKey: true })).toBeNull();
    expect(keyAction({ key: 'x' })).toBeNull();
  });

  it('lists every shortcut with a translated label', () => {
    for (const s of SHORTCUTS) expect(en[s.label]).toBeTruthy();
  });
});
