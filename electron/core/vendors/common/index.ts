export { TokenBucket, type TokenBucketOptions } from './token-bucket';
export { Semaphore } from '../../concurrency/semaphore';
export { withRetry, seededRandom, type RetryOptions } from './retry';
export { deadline, transportError, httpStatusError, parseRetryAfter, type Deadline } from './http';
export { redact, maskIdentifier } from './redact';
export { sleep, cancelled } from './sleep';
export { VendorCaller, type VendorCallerOptions, type VendorEvent, type CallOptions, type Metering } from './vendor-caller';
export { pinnedAgent } from './pinned-agent';
export { assertNotExpired, formatUtc } from './expiry';
