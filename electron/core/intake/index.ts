export { expandPaths, expandPathsInChunks, INTAKE_CHUNK, type IntakeOptions } from './expand';
export { isHiddenOrSystem, looksLikeImageName, naturalCompare } from './names';
export { sniff, SNIFF_BYTES } from './sniff';
export type { ImageFormat, ImageSource, IntakeItem, IntakeResult, SkippedEntry } from './types';
export { checkPaths, completePath, type PathCheckResult } from './check';
