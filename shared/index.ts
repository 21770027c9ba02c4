export * from './geometry';
export * from './errors';
export * from './detection';
export * from './engines';
export * from './batch';
