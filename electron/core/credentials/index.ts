export { CredentialStore, KEYCHAIN_SERVICE, accountName, checkCredentials } from './store';
export { ProfileCredentials, environmentCredentials, credentialsForEndpoint } from './environment';
export { keytarBackend, KEYCHAIN_HELP, type KeychainBackend } from './keychain';
export { maskId } from './mask';
export { testConnection, type ConnectionTestResult } from './connection-test';
export * from './types';
export { credentialsFor, secretDestination, endpointChanged, OFFICIAL_ENDPOINTS, officialEndpoint, type EndpointBoundCredentials, type EndpointSettings } from './endpoint';
export { ProxyAuthStore, proxyOrigin, type ProxyAuth, type ProxyAuthLookup, type ProxyAuthStatus } from './proxy-auth';
