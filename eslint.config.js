import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The one rule that keeps the architecture honest (docs/architecture.md): core/ is pure. It imports
// nothing from adapters/, http/, runtime/, web/, no SDK, no database driver and no Node I/O module.
const coreBans = {
  patterns: [
    {
      group: ['**/adapters/**', '**/http/**', '**/runtime/**', '**/web/**'],
      message: 'core/ must stay pure: depend on a port instead.',
    },
    {
      group: ['@aws-sdk/*', 'better-sqlite3', 'pg', 'hono', 'hono/*', '@hono/*', 'pino', 'nodemailer'],
      message: 'core/ must not import SDKs or drivers.',
    },
    {
      group: ['node:fs', 'node:fs/*', 'fs', 'node:net', 'node:http', 'node:https', 'node:child_process', 'node:dgram'],
      message: 'core/ does no I/O.',
    },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'cdk.out/', 'coverage/', 'infra/cdk.out/', 'bench/.work/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        setImmediate: 'readonly',
        fetch: 'readonly',
        globalThis: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        AbortController: 'readonly',
        Response: 'readonly',
        Request: 'readonly',
        Headers: 'readonly',
        document: 'readonly',
        window: 'readonly',
        localStorage: 'readonly',
        FormData: 'readonly',
        XMLHttpRequest: 'readonly',
        navigator: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      // Sanitisers match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  { files: ['test/**/*.ts', '**/*.test.ts'], rules: { '@typescript-eslint/no-explicit-any': 'off' } },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreBans] } },
  { files: ['src/ports/**/*.ts'], rules: { 'no-restricted-imports': ['error', coreBans] } },
);
