import { describe, expect, it } from 'vitest';
import { grantsPermission } from '../../electron/main/permissions';

/** The desktop app grants the camera to its own page only, video only; nothing else, to no one else. */
describe('permission policy', () => {
  it('grants video capture to the app page', () => {
    expect(grantsPermission('media', 'scandesk://app/index.html', { mediaTypes: ['video'] })).toBe(true);
    expect(grantsPermission('media', 'scandesk://app/index.html')).toBe(true); // a check, no types
  });

  it('refuses the microphone, other permissions and other origins', () => {
    expect(grantsPermission('media', 'scandesk://app/index.html', { mediaTypes: ['video', 'audio'] })).toBe(false);
    expect(grantsPermission('media', 'scandesk://app/index.html', { mediaTypes: ['unknown'] })).toBe(false);
    for (const p of ['geolocation', 'notifications', 'clipboard-read', 'display-capture', 'openExternal']) {
      expect(grantsPermission(p, 'scandesk://app/index.html'), p).toBe(false);
    }
    for (const url of ['https://example.com/', 'scandesk://media/thumb/1', 'file:///etc/passwd', 'http://127.0.0.1:5173/']) {
      expect(grantsPermission('media', url, { mediaTypes: ['video'] }), url).toBe(false);
    }
  });

  it('grants the dev server its camera in development, not another local page', () => {
    expect(grantsPermission('media', 'http://localhost:5173/', { mediaTypes: ['video'] }, 'http://localhost:5173')).toBe(true);
    expect(grantsPermission('media', 'http://localhost:5174/', { mediaTypes: ['video'] }, 'http://localhost:5173')).toBe(false);
  });
});
