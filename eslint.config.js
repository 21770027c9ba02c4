// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import reactHooks from 'eslint-plugin-react-hooks';

const NODE_BUILTINS = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'https', 'http2', 'module', 'net', 'os', 'path', 'perf_hooks',
  'process', 'readline', 'stream', 'stream/promises', 'tls', 'url', 'util', 'v8', 'vm',
  'worker_threads', 'zlib',
];

/**
 * The layering rule (README, "Layout"), like VS Code's:
 * - shared/ runs anywhere: no Node, no DOM, no Electron;
 * - electron/core/ and the headless entry points (cli, host) never import Electron, so tests,
 *   the CLI and the browser host drive exactly the code the desktop app runs;
 * - the renderer reaches the engine only through the contract in shared/.
 */
const electronBan = { name: 'electron', message: 'The engine and headless entry points never import Electron.' };
const nodeBan = NODE_BUILTINS.flatMap((m) => [
  { name: m, message: 'shared/ runs in the renderer too: no Node modules.' },
  { name: `node:${m}`, message: 'shared/ runs in the renderer too: no Node modules.' },
]);

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'bench/.results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // electron-vite prepends its own `const require` to ESM chunks of the main bundle; a module
    // that declares another one makes the whole chunk fail to load (SyntaxError at start-up).
    files: ['electron/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', {
        selector: "VariableDeclarator[id.name='require']",
        message: 'Name it nodeRequire: electron-vite adds a module-level `require` to main-process chunks.',
      }],
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan, ...nodeBan],
        patterns: [{ group: ['../electron/*', '../renderer/*', 'react', 'react-dom'], message: 'shared/ imports only itself and pure libraries.' }],
      }],
      'no-restricted-globals': ['error', 'window', 'document', 'navigator', 'process', 'Buffer', 'require', '__dirname'],
    },
  },
  {
    files: ['electron/core/**/*.ts', 'electron/cli/**/*.ts', 'electron/host/**/*.ts', 'bench/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [{ group: ['**/electron/main/*', '**/electron/preload/*', '**/renderer/*'], message: 'The engine does not depend on the desktop shell or the UI.' }],
      }],
    },
  },
  {
    files: ['electron/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/core/*', '**/main/*', 'node:*'], message: 'The preload exposes the contract only.' }],
      }],
    },
  },
  {
    // The rules of hooks and complete dependency lists (a stale closure in a key handler is a
    // silent bug). The plugin's other rules check code for the React Compiler, which this
    // renderer does not use.
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electronBan],
        patterns: [{ group: ['**/electron/*', 'node:*'], message: 'The renderer talks to the engine only through window.scandesk.' }],
      }],
    },
  },
);
