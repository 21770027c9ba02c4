export * from './schema';
export { VendorSettingsStore, vendorSettingsPath, applyEndpointEnv, mergePatch, ENDPOINT_ENV, ENDPOINT_ENV_HELP, VENDOR_SETTINGS_FILE } from './store';
