export { AliOssEngine, OSS_BUDGET, DEFAULT_UPLOAD_PREFIX, type AliOssEngineOptions } from './engine';
export { AliOssClient, standardRegion, checkBucketName, type AliOssClientOptions } from './client';
export { signOssV4, parseOssV4Authorization, canonicalRequest, type OssV4Request } from './sign-v4';
export { OSS_MAX_CODES } from './to-detection';
