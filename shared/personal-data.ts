/**
 * Personal data in detections, one rule for every place that shows a value (the review screen,
 * lists, exports, logs): an ID-card number (Tencent marks it `extra.personalData`; the field
 * name covers detections stored before that mark) is shown masked unless the user reveals it.
 */
export function isPersonalData(d: { kind?: string; field?: string | null; extra?: Record<string, unknown> | null }): boolean {
  return d.extra?.personalData === true || (d.field === 'IdNum' && (d.kind === undefined || d.kind === 'field'));
}

/**
 * "440***********0014": keeps the first 3 and last 4 characters (enough to tell two cards
 * apart at a glance) and hides the region and birth date in between. Short values hide more.
 */
export function maskPersonalValue(value: string): string {
  const chars = [...value.trim()];
  if (chars.length <= 4) return '*'.repeat(chars.length);
  if (chars.length <= 8) return '*'.repeat(chars.length - 2) + chars.slice(-2).join('');
  return chars.slice(0, 3).join('') + '*'.repeat(chars.length - 7) + chars.slice(-4).join('');
}
