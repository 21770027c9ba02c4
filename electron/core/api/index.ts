export { createHandlers, dispatch, defaultExportName, type HandlerDeps, type HandlerTable, type Handler } from './handlers';
export { forwardServiceEvents, type EmitEvent } from './events';
export { fileSettingsStore, type SettingsStore } from './settings-store';
export { unavailableDialogs, BROWSER_DIALOG_REASON, type DialogProvider } from './dialogs';
export { boundaryError, stderrLogger, type Logger } from './errors';
export { createMediaCache, renderWebp, type MediaCache, type MediaCacheOptions, type MediaImage, type MediaSource, type RenderMedia } from './media-cache';
export { contentSecurityPolicy, SECURITY_HEADERS } from './csp';
export { readStatic, rendererBuilt, type StaticFile } from './static-files';
export { vendorHandlers, VENDORS_NOT_SET_UP, type VendorDeps } from './vendors';
