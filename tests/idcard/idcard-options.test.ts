import { describe, expect, it } from 'vitest';
import { validateScanOptions, type ScanOptions } from '../../electron/cli/scan';
import { parseTencentOptions } from '../../electron/core/vendors/tencent/options';
import { parseInput } from '../../shared/contract';
import { ID_CARD_CONFIG_FLAGS } from '../../shared/idcard';
import { NO_ID_CARD_CHOICE, idCardPlanOptions, idCardProblem } from '../../renderer/src/logic/idcard-choice';

/**
 * IDCardOCR's options are checked by one schema wherever they are chosen: the contract (the
 * new-batch dialog, run again), the CLI's flags and the engine's own options. The vendor's rule
 * (EnableReflectDetail only with Config.ReflectWarn) is refused in all three, naming the field.
 */
const create = (options: Record<string, unknown>, task = 'idcard') =>
  parseInput('batches.create', { paths: ['/tmp/cards'], plan: { engine: 'tencent', task, options } });

const scan = (flags: Partial<ScanOptions>) =>
  validateScanOptions(['/tmp/cards'], { out: '/tmp/out.json', engine: 'tencent', task: 'idcard', db: '/tmp/idcard-options-test/x.db', ...flags } as ScanOptions, {});

describe('ID-card options: one rule set', () => {
  it('the contract takes every Config flag, glare details with the glare warning, any OCR region', () => {
    const all = Object.fromEntries(ID_CARD_CONFIG_FLAGS.map((k) => [k, true]));
    const r = create({ cardSide: 'FRONT', config: all, enableReflectDetail: true, cardWarnType: 'Advanced', idCardRegion: 'ap-shanghai' });
    expect(r.ok).toBe(true);
  });

  it('the contract refuses glare details without the glare warning, an unknown flag, a bad region', () => {
    const glare = create({ config: { CropIdCard: true }, enableReflectDetail: true });
    expect(glare).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    if (!glare.ok) expect(glare.error.message).toMatch(/options\.enableReflectDetail.*ReflectWarn/);
    const unknown = create({ config: { CropFace: true } });
    expect(unknown.ok).toBe(false);
    const region = create({ idCardRegion: 'Shanghai' });
    expect(region.ok).toBe(false);
    if (!region.ok) expect(region.error.message).toMatch(/idCardRegion/);
    // Other tasks' options are not ID-card options: not checked by these rules.
    expect(create({ enableReflectDetail: true }, 'codes').ok).toBe(true);
  });

  it('the engine refuses the same combination (a plan made elsewhere, e.g. a hand-written rerun)', () => {
    expect(() => parseTencentOptions({ enableReflectDetail: true })).toThrow(/enableReflectDetail.*ReflectWarn/);
    expect(parseTencentOptions({ enableReflectDetail: true, config: { ReflectWarn: true } }).config).toEqual({ ReflectWarn: true });
  });

  it('scan flags become the same plan options', () => {
    const v = scan({ idCrop: 'card,portrait', idWarn: 'copy,glare,blur,border', idGlareDetail: true, idAdvanced: true, idRegion: 'ap-nanjing', cardSide: 'FRONT' });
    expect(v.plan.options).toEqual({
      cardSide: 'FRONT',
      config: { CropIdCard: true, CropPortrait: true, CopyWarn: true, ReflectWarn: true, Quality: true, BorderCheckWarn: true },
      enableReflectDetail: true,
      cardWarnType: 'Advanced',
      idCardRegion: 'ap-nanjing',
    });
    expect(Object.keys((scan({ idWarn: 'all' }).plan.options as { config: object }).config).sort()).toEqual(
      ['BorderCheckWarn', 'CopyWarn', 'DetectPsWarn', 'InvalidDateWarn', 'MultiCardDetect', 'Quality', 'ReflectWarn', 'ReshootWarn', 'TempIdWarn'].sort(),
    );
  });

  it('scan flags are refused with the flag named', () => {
    expect(() => scan({ idGlareDetail: true })).toThrow(/--id-glare-detail needs the glare warning.*add --id-warn glare/);
    expect(() => scan({ idWarn: 'copy,smudge' })).toThrow(/--id-warn: unknown "smudge"/);
    expect(() => scan({ idCrop: 'all' })).toThrow(/--id-crop: unknown "all"; use card, portrait\./);
    expect(() => scan({ idRegion: 'shanghai' })).toThrow(/--id-region is not a Tencent Cloud region id/);
    expect(() => scan({ idCrop: 'card', task: 'codes' })).toThrow(/go with --task idcard/);
    expect(() => scan({ idCrop: 'card', engine: 'wechat', task: 'text' })).toThrow(/tencent engine, which this run does not use/);
  });

  it('the dialog sends only what was chosen, and shows the same rule', () => {
    expect(idCardPlanOptions(NO_ID_CARD_CHOICE)).toEqual({});
    const choice = { ...NO_ID_CARD_CHOICE, crops: ['portrait' as const], warns: ['temporary' as const, 'both-sides' as const], region: 'ap-hongkong' };
    expect(idCardPlanOptions(choice)).toEqual({ config: { CropPortrait: true, TempIdWarn: true, MultiCardDetect: true }, idCardRegion: 'ap-hongkong' });
    expect(idCardProblem(choice)).toBeNull();
    expect(idCardProblem({ ...choice, glareDetail: true })).toMatchObject({ field: 'enableReflectDetail' });
  });
});
