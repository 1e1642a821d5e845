import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';

export default ts.config(
  { ignores: ['dist/', 'data/', '.cache/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...ts.configs.recommended,
  ...svelte.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.browser },
      parserOptions: {
        projectService: { allowDefaultProject: ['eslint.config.js', 'scripts/*.mjs'] },
        extraFileExtensions: ['.svelte'],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: ts.parser } },
  },
  // The server's layers (docs: README, STYLE.md): routes (HTTP only) → services (domain rules,
  // no SQL, no HTTP) → db/queries (SQL only). server/policy.ts is neutral ground for all three.
  {
    files: ['server/routes/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/db/queries/*'],
              message: 'Routes speak HTTP only: go through a service (server/services/).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['server/services/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            {
              name: 'kysely',
              allowTypeImports: true,
              message: 'Services hold no SQL: put it in server/db/queries/.',
            },
          ],
          patterns: [
            {
              group: ['../errors.ts', '**/server/errors.ts'],
              message:
                'Services know nothing of HTTP: throw a DomainError (./domain-error.ts) with a reason.',
            },
            { group: ['hono', 'hono/*', '@hono/*'], message: 'Services know nothing of HTTP.' },
            {
              group: ['**/routes/*'],
              message: 'Services do not call routes.',
            },
          ],
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "TaggedTemplateExpression[tag.name='sql']",
          message: 'Services hold no SQL: put it in server/db/queries/.',
        },
      ],
    },
  },
  {
    files: ['server/db/queries/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/services/*'],
              message:
                'Queries import no services: take plain values (a ReadRule from server/policy.ts, rows, ids).',
            },
            {
              group: ['**/errors.ts', '**/routes/*'],
              message: 'Queries know nothing of HTTP: return rows and let the service decide.',
            },
            { group: ['hono', 'hono/*', '@hono/*'], message: 'Queries know nothing of HTTP.' },
          ],
        },
      ],
    },
  },
  {
    files: ['server/policy.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'kysely', message: 'The policy holds no SQL (queries translate it).' }],
          patterns: [
            {
              group: ['./db/*', './db/**', './services/*', './routes/*', './errors.ts'],
              message: 'The policy is neutral: importable by every layer, importing none.',
            },
            { group: ['hono', 'hono/*', '@hono/*'], message: 'The policy knows nothing of HTTP.' },
          ],
        },
      ],
    },
  },
  {
    files: ['geo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'node:fs', message: 'geo/ is shared with the browser: no file system.' },
            { name: 'fs', message: 'geo/ is shared with the browser: no file system.' },
          ],
          patterns: [
            {
              group: ['**/server/*', '**/server/**', '**/web/*', '**/web/**'],
              message: 'geo/ is shared by the server and the web and imports neither.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests may use `any` for JSON bodies and leave promises to vitest.
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-floating-promises': 'off' },
  },
);
