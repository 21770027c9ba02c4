export { loadOriented, type OrientedPixels } from './load';
export { prepare, toPageGeometry, countedBytes } from './prepare';
export { makePreview } from './preview';
export { openOriented, type OrientedPage } from './oriented';
export { IMAGE_LIMITS } from './limits';
export type { Budget, PreparedImage, PreviewImage, PreviewOptions } from './types';
