import { isAppUrl } from './app-url';

/**
 * Which permission requests the app grants (pure, so it is tested in Node; security.ts wires it
 * to the session): the camera only (issue 8 "Capture from a camera"), video without audio, and
 * only to the app's own page (scandesk://app, or the dev server in development). Every other
 * permission, origin, or a microphone request is refused.
 */
export function grantsPermission(
  permission: string,
  requestingUrl: string,
  details: { mediaTypes?: readonly string[] } = {},
  devServerUrl: string | null = null,
): boolean {
  if (permission !== 'media') return false;
  if (!isAppUrl(requestingUrl, devServerUrl)) return false;
  const types = details.mediaTypes ?? [];
  // A request names what it wants; a check (no types) asks whether media is allowed at all.
  return types.every((t) => t === 'video');
}
