// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', '.cache/', 'bench/data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Only the Discord layer and commands may import discord.js.
    files: ['src/**/*.ts'],
    ignores: ['src/discord/**', 'src/main.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'discord.js', message: 'Discord specifics live in src/discord/.' }] }],
    },
  },
  {
    // The core is pure: no I/O, no Discord, no process state. Adapters do that.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https'], message: 'src/core does no I/O.' },
            { group: ['discord.js', '@discordjs/*'], message: 'src/core knows nothing of Discord.' },
            { group: ['../*', '!../core/*'], message: 'src/core imports only itself and its libraries.' },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core reads no process state.' }],
    },
  },
);
