import { rmSync } from 'node:fs';

/**
 * Tears down what a vendor test file opened, in dependency order: the service and its engines
 * before the emulators they call, the keychain after them, the temp dir last. Any part may be
 * missing (beforeAll failed half-way).
 */
export async function closeVendorTest(parts: {
  service?: { close(): Promise<void> };
  registry?: { close(): Promise<void> };
  emu?: { close(): Promise<void> };
  keychain?: { stop(): Promise<void> };
  dir?: string;
}): Promise<void> {
  await parts.service?.close();
  await parts.registry?.close();
  await parts.emu?.close();
  await parts.keychain?.stop();
  if (parts.dir) rmSync(parts.dir, { recursive: true, force: true });
}
