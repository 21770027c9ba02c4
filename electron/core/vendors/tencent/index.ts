export { TencentEngine, type TencentEngineConfig, type PrepareFn } from './engine';
export { parseTencentOptions, TencentOptionsSchema, type TencentOptions, type TencentOptionsInput } from './options';
export { maskIdNumber, decodeWarning, ID_CARD_WARNINGS } from './idcard';
export { tc3Sign, parseTc3Authorization } from './tc3-sign';
export { TENCENT_OCR_HOST, type TencentEndpoint } from './sdk-client';
