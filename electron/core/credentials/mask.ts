/**
 * What the UI may show of an identifier: enough to recognise which key is configured, never
 * enough to use it. Short ids are masked completely (showing 8 of 10 characters would be most
 * of the id).
 */
export function maskId(id: string): string {
  const trimmed = id.trim();
  if (trimmed.length < 12) return '…';
  return `${trimmed.slice(0, 4)}…${trimmed.slice(-4)}`;
}
