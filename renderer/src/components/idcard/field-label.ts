import type { Detection } from '../../../../shared/detection';
import { idCardFieldLabel } from '../../../../shared/idcard';
import type { Locale } from '../../i18n/i18n';

/**
 * What a detection is called in review: an ID card's field by its label in the reader's
 * language (姓名 / Name, not the vendor's key), anything else by its symbology.
 */
export function detectionLabel(d: Pick<Detection, 'kind' | 'symbology' | 'field'>, locale: Locale): string {
  if (d.field === undefined) return d.symbology;
  return d.symbology === 'IDCard' ? idCardFieldLabel(d.field, locale === 'zh-CN' ? 'zh' : 'en') : d.field;
}
