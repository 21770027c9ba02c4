import {
  ID_CARD_CROPS,
  ID_CARD_WARN_CHOICES,
  IdCardOptionsSchema,
  type CardSide,
  type IdCardCropChoice,
  type IdCardWarnChoice,
} from '../../../shared/contract/idcard';

/**
 * What the new-batch dialog's ID-card section holds, and the plan options it makes: only what
 * was asked for (an unchanged section sends no options, as before), checked by the contract's
 * own schema so the dialog shows the vendor's rule the moment it is broken.
 */
export interface IdCardChoice {
  cardSide: CardSide;
  crops: IdCardCropChoice[];
  warns: IdCardWarnChoice[];
  glareDetail: boolean;
  advanced: boolean;
  /** '' = the region of the Tencent settings. */
  region: string;
}

export const NO_ID_CARD_CHOICE: IdCardChoice = { cardSide: 'auto', crops: [], warns: [], glareDetail: false, advanced: false, region: '' };

export const CROP_CHOICES = Object.keys(ID_CARD_CROPS) as IdCardCropChoice[];
export const WARN_CHOICES = Object.keys(ID_CARD_WARN_CHOICES) as IdCardWarnChoice[];

export function idCardPlanOptions(c: IdCardChoice): Record<string, string | boolean | Record<string, boolean>> {
  const config: Record<string, boolean> = {};
  for (const k of c.crops) config[ID_CARD_CROPS[k]] = true;
  for (const k of c.warns) config[ID_CARD_WARN_CHOICES[k]] = true;
  return {
    ...(c.cardSide !== 'auto' ? { cardSide: c.cardSide } : {}),
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(c.glareDetail ? { enableReflectDetail: true } : {}),
    ...(c.advanced ? { cardWarnType: 'Advanced' } : {}),
    ...(c.region ? { idCardRegion: c.region } : {}),
  };
}

/** The schema's first complaint about this choice (the field and why), or null when it is valid. */
export function idCardProblem(c: IdCardChoice): { field: string; message: string } | null {
  const r = IdCardOptionsSchema.safeParse(idCardPlanOptions(c));
  if (r.success) return null;
  const issue = r.error.issues[0]!;
  return { field: String(issue.path[0] ?? ''), message: issue.message };
}
