import { describe, expect, it } from 'vitest';
import { availableEngines, buildPlan, isPersonalData, maskPersonal, mergePaths, parsePathInput, planChoices } from './engines';

describe('engine picker', () => {
  it('lists offered engines, local first, and never none', () => {
    expect(availableEngines(['wechat', 'local'])).toEqual(['local', 'wechat']);
    expect(availableEngines(['bogus'])).toEqual(['local']);
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

describe('plan choices', () => {
  const engines = [
    { id: 'local' as const, tasks: ['codes' as const], available: true, reason: null },
    { id: 'tencent' as const, tasks: ['codes' as const, 'idcard' as const], available: true, reason: null },
    { id: 'wechat' as const, tasks: ['codes' as const, 'text' as const], available: false, reason: 'no credentials' },
  ];
  it('offers local, each vendor, and local-then-vendor for codes; unavailable vendors disabled with the reason', () => {
    const c = planChoices(engines);
    expect(c.map((x) => [x.value, x.disabled])).toEqual([
      ['local', false],
      ['tencent', false],
      ['wechat', true],
      ['local+tencent', false],
      ['local+wechat', true],
    ]);
    expect(c[2]!.reason).toBe('no credentials');
    expect(c[3]!.tasks).toEqual(['codes']);
  });
  it('builds plans: fallback, task limited to the choice, card side only for idcard', () => {
    const c = planChoices(engines);
    expect(buildPlan(c[3]!, 'idcard', { cardSide: 'FRONT' })).toEqual({ engine: 'local', task: 'codes', fallback: 'tencent' });
    expect(buildPlan(c[1]!, 'idcard', { cardSide: 'BACK' })).toEqual({ engine: 'tencent', task: 'idcard', options: { cardSide: 'BACK' } });
    expect(buildPlan(c[1]!, 'idcard', {})).toEqual({ engine: 'tencent', task: 'idcard' });
    expect(buildPlan(c[0]!, 'text', { cardSide: 'BACK' })).toEqual({ engine: 'local', task: 'codes' });
  });
});

describe('personal data', () => {
  it('marks ID numbers and engine-flagged data; masks all but the last four', () => {
    expect(isPersonalData({ field: 'IdNum' })).toBe(true);
    expect(isPersonalData({ field: 'Name', extra: { personalData: true } })).toBe(true);
    expect(isPersonalData({ field: 'Name' })).toBe(false);
    // The same rule as the exports (it used to be '••••••••••••••1234' on screen).
    expect(maskPersonal('440305199001021234')).toBe('440***********1234');
    expect(maskPersonal('123')).toBe('***');
  });
});
