import { defineConfig } from 'vitest/config';

// One runner for every test that can run on a machine without Electron: engine, queue,
// exports, CLI, emulators, keychain (inside a private D-Bus session), and browser end-to-end.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'renderer/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Real images, real SQLite, real child processes: keep files apart, not threads.
    pool: 'forks',
    fileParallelism: true,
    maxWorkers: 2,
  },
});
