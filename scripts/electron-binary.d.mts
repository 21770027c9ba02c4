/** The installed Electron binary's path, or null (never downloads it). */
export function installedElectronBinary(repoDir: string): string | null;
