// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Outside src/core, the core is reached only through its one public door, src/core/index.ts. */
const coreDoor = {
  group: ['**/core/*', '**/core/*/**', '!**/core/index.ts'],
  message: 'Import the core from src/core/index.ts, its one public door.',
};
const noDiscord = { name: 'discord.js', message: 'Discord specifics live in src/discord/.' };

/** The core is pure: no I/O, no Discord, no process state. Adapters do that. */
const corePure = [
  {
    group: ['node:*', 'fs', 'fs/*', 'path', 'os', 'child_process', 'net', 'http', 'https'],
    message: 'src/core does no I/O.',
  },
  { group: ['discord.js', '@discordjs/*'], message: 'src/core knows nothing of Discord.' },
];
const coreSelfOnly = 'src/core imports only itself and its libraries.';

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
    ignores: ['src/core/**', 'src/discord/**', 'src/main.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noDiscord], patterns: [coreDoor] }] },
  },
  {
    // Tests of the core's own modules (test/core/) may reach inside it; nothing else may.
    files: [
      'src/discord/**/*.ts',
      'src/main.ts',
      'commands/**/*.ts',
      'bench/**/*.ts',
      'tools/**/*.ts',
      'test/**/*.ts',
    ],
    ignores: ['test/core/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [coreDoor] }] },
  },
  {
    files: ['src/core/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...corePure, { group: ['../*'], message: coreSelfOnly }] },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core reads no process state.' }],
    },
  },
  {
    files: ['src/core/*/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...corePure, { group: ['../../*'], message: coreSelfOnly }] },
      ],
      'no-restricted-globals': ['error', { name: 'process', message: 'src/core reads no process state.' }],
    },
  },
);
