export { CredentialStore, KEYCHAIN_SERVICE, accountName } from './store';
export { keytarBackend, KEYCHAIN_HELP, type KeychainBackend } from './keychain';
export { maskId } from './mask';
export { testConnection, registerConnectionTest, type ConnectionTester, type ConnectionSettings, type ConnectionTestResult } from './connection-test';
export * from './types';
export { credentialsFor, secretDestination, endpointChanged, OFFICIAL_ENDPOINTS, type EndpointBoundCredentials, type EndpointSettings } from './endpoint';
