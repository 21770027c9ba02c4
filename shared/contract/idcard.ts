import { z } from 'zod';
import { ID_CARD_CONFIG_FLAGS, REGION_ID } from '../idcard';

/**
 * The ID-card options of a plan (Tencent IDCardOCR), checked the same way wherever they are
 * chosen: the contract (new-batch dialog, run again), the CLI's flags and the engine's own
 * options. The rules are the vendor's (seed 004, IDCardOCR input parameters):
 * - Config is a set of booleans, each default false;
 * - EnableReflectDetail "takes effect only with Config.ReflectWarn on": asked alone it would be
 *   silently ignored, so it is refused;
 * - CardWarnType is Basic or Advanced (Advanced is billed separately, enabled in the console);
 * - the region is a Tencent Cloud region id (IDCardOCR answers in any OCR region).
 */
export const CARD_SIDES = ['auto', 'FRONT', 'BACK'] as const;
export type CardSide = (typeof CARD_SIDES)[number];

const configShape = Object.fromEntries(ID_CARD_CONFIG_FLAGS.map((k) => [k, z.boolean().optional()])) as Record<
  (typeof ID_CARD_CONFIG_FLAGS)[number],
  z.ZodOptional<z.ZodBoolean>
>;

export const IdCardConfigSchema = z.strictObject(configShape);

/** The keys of a plan's options that belong to IDCardOCR. */
export const ID_CARD_OPTION_KEYS = ['cardSide', 'config', 'enableRecognitionRectify', 'enableReflectDetail', 'cardWarnType', 'idCardRegion'] as const;

const idCardFields = {
  cardSide: z.enum(CARD_SIDES).optional(),
  config: IdCardConfigSchema.optional(),
  enableRecognitionRectify: z.boolean().optional(),
  enableReflectDetail: z.boolean().optional(),
  cardWarnType: z.enum(['Basic', 'Advanced']).optional(),
  idCardRegion: z.string().regex(REGION_ID, { message: 'is not a Tencent Cloud region id (e.g. ap-shanghai)' }).optional(),
};

/** The vendor's rules across fields (see above); `ctx` gets one issue per broken rule. */
export function checkIdCardRules(o: { config?: Partial<Record<string, boolean | undefined>>; enableReflectDetail?: boolean }, ctx: z.RefinementCtx): void {
  if (o.enableReflectDetail && !o.config?.ReflectWarn) {
    ctx.addIssue({
      code: 'custom',
      path: ['enableReflectDetail'],
      message: 'needs the glare warning (Config.ReflectWarn): IDCardOCR ignores glare details without it',
    });
  }
}

export const IdCardOptionsSchema = z.strictObject(idCardFields).superRefine(checkIdCardRules);
export type IdCardOptions = z.output<typeof IdCardOptionsSchema>;

/** The ID-card keys of a plan's options (the rest belong to the engine's other tasks). */
export function idCardPart(options: Record<string, unknown> | null | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of ID_CARD_OPTION_KEYS) if (options && options[k] !== undefined) out[k] = options[k];
  return out;
}

/**
 * The names people use for the Config flags (CLI flags, the dialog's test ids), grouped the way
 * the dialog shows them: what to crop, what to warn about.
 */
export const ID_CARD_CROPS = { card: 'CropIdCard', portrait: 'CropPortrait' } as const;
export const ID_CARD_WARN_CHOICES = {
  copy: 'CopyWarn',
  reshoot: 'ReshootWarn',
  temporary: 'TempIdWarn',
  border: 'BorderCheckWarn',
  edited: 'DetectPsWarn',
  'invalid-date': 'InvalidDateWarn',
  blur: 'Quality',
  glare: 'ReflectWarn',
  'both-sides': 'MultiCardDetect',
} as const;
export type IdCardCropChoice = keyof typeof ID_CARD_CROPS;
export type IdCardWarnChoice = keyof typeof ID_CARD_WARN_CHOICES;
