// ESLint 9 flat config, set up as the Svelte CLI (`sv add eslint`) does: JavaScript, TypeScript and Svelte rules.
import { fileURLToPath } from 'node:url';
import { includeIgnoreFile } from '@eslint/compat';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

const gitignorePath = fileURLToPath(new URL('./.gitignore', import.meta.url));

export default defineConfig(
	includeIgnoreFile(gitignorePath),
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		// TypeScript checks undefined names itself (and knows the types that no-undef does not).
		rules: {
			'no-undef': 'off',
			// The app is served at the root (no paths.base) and its pages are plain server-rendered links and forms.
			'svelte/no-navigation-without-resolve': 'off',
			// `{' '}` is how a space is kept beside a block (`{#if}`), where plain whitespace would be trimmed.
			'svelte/no-useless-mustaches': 'off',
			// Pages render on the server (most without client code); a URLSearchParams built inside a function to make a
			// link is a temporary value, not state that needs Svelte's reactive version.
			'svelte/prefer-svelte-reactivity': 'off',
			// `_name` marks a value taken out on purpose (e.g. a password removed from what a form keeps).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }]
		}
	},
	{
		// Playwright reads the fixtures a hook or test asks for from its first parameter: `({}, testInfo)` asks for none.
		files: ['tests/e2e/**'],
		rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] }
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);
