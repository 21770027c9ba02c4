import { describe, expect, it } from 'vitest';
import { availableEngines, mergePaths, parsePathInput, taskFor } from './engines';

describe('engine picker', () => {
  it('lists offered engines, local first, and never none', () => {
    expect(availableEngines(['wechat', 'local'])).toEqual(['local', 'wechat']);
    expect(availableEngines(['bogus'])).toEqual(['local']);
  });
  it('keeps a task the engine supports and falls back otherwise', () => {
    expect(taskFor('tencent', 'idcard')).toBe('idcard');
    expect(taskFor('local', 'idcard')).toBe('codes');
    expect(taskFor('wechat', 'text')).toBe('text');
  });
});

describe('path input', () => {
  it('splits lines, trims and unquotes', () => {
    expect(parsePathInput(' /a/b \n\n"/c d/e"\r\n\'C:\\x\'')).toEqual(['/a/b', '/c d/e', 'C:\\x']);
  });
  it('merges without duplicates, keeping order', () => {
    expect(mergePaths(['/a', '/b'], ['/b', '/c', '/a'])).toEqual(['/a', '/b', '/c']);
  });
});
