import { ID_CARD_CROPS, ID_CARD_WARN_CHOICES, IdCardOptionsSchema, type IdCardCropChoice, type IdCardWarnChoice } from '../../shared/contract/idcard';
import { resolve } from 'node:path';
import { UsageError } from './errors';

/**
 * `scandesk scan --task idcard` flags for IDCardOCR's outputs, turned into the plan's options
 * and checked by the same schema as the contract (shared/contract/idcard.ts).
 */
export interface IdCardFlags {
  /** Comma-separated: card, portrait. */
  idCrop?: string;
  /** Comma-separated warn choices (copy, reshoot, ...), or all. */
  idWarn?: string;
  idGlareDetail?: boolean;
  idAdvanced?: boolean;
  idRegion?: string;
  /** Folder the crops are written to after the export (electron/cli/crops-out.ts). */
  cropsOut?: string;
}

export const ID_CARD_FLAG_NAMES = ['--id-crop', '--id-warn', '--id-glare-detail', '--id-advanced', '--id-region'] as const;

function choices<K extends string>(flag: string, text: string, known: Record<K, string>, all: boolean): string[] {
  const names = text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) throw new UsageError(`${flag} needs at least one of: ${Object.keys(known).join(', ')}.`);
  if (all && names.length === 1 && names[0] === 'all') return Object.values(known);
  return names.map((n) => {
    if (!(n in known)) throw new UsageError(`${flag}: unknown "${n}"; use ${Object.keys(known).join(', ')}${all ? ' or all' : ''}.`);
    return known[n as K];
  });
}

/** True when any ID-card flag was given. */
export function hasIdCardFlags(o: IdCardFlags): boolean {
  return o.idCrop !== undefined || o.idWarn !== undefined || !!o.idGlareDetail || !!o.idAdvanced || o.idRegion !== undefined;
}

/** The plan options these flags ask for (only the ones given), or a UsageError naming the flag. */
export function idCardOptions(o: IdCardFlags): Record<string, unknown> {
  const config: Record<string, boolean> = {};
  if (o.idCrop !== undefined) for (const f of choices<IdCardCropChoice>('--id-crop', o.idCrop, ID_CARD_CROPS, false)) config[f] = true;
  if (o.idWarn !== undefined) for (const f of choices<IdCardWarnChoice>('--id-warn', o.idWarn, ID_CARD_WARN_CHOICES, true)) config[f] = true;
  const options: Record<string, unknown> = {};
  if (Object.keys(config).length > 0) options.config = config;
  if (o.idGlareDetail) options.enableReflectDetail = true;
  if (o.idAdvanced) options.cardWarnType = 'Advanced';
  if (o.idRegion !== undefined) options.idCardRegion = o.idRegion;
  const r = IdCardOptionsSchema.safeParse(options);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    const flag = issue.path[0] === 'enableReflectDetail' ? '--id-glare-detail' : issue.path[0] === 'idCardRegion' ? '--id-region' : '--id-warn';
    throw new UsageError(`${flag} ${issue.message}${flag === '--id-glare-detail' ? ' (add --id-warn glare)' : ''}.`);
  }
  return options;
}

/** The flags again, for the resume command. */
export function idCardArgs(o: IdCardFlags, q: (s: string) => string): string[] {
  const args: string[] = [];
  if (o.idCrop !== undefined) args.push('--id-crop', q(o.idCrop));
  if (o.idWarn !== undefined) args.push('--id-warn', q(o.idWarn));
  if (o.idGlareDetail) args.push('--id-glare-detail');
  if (o.idAdvanced) args.push('--id-advanced');
  if (o.idRegion !== undefined) args.push('--id-region', q(o.idRegion));
  if (o.cropsOut !== undefined) args.push('--crops-out', q(resolve(o.cropsOut)));
  return args;
}
