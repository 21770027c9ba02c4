/**
 * Mulberry32, seeded: emulator faults and test inputs must be reproducible run to run. The
 * product's retry jitter already has this generator; a PRNG is no reading of a vendor's document,
 * so the emulators and tests share it rather than keep their own copies.
 */
export { seededRandom as seeded } from '../../../electron/core/vendors/common/retry';
