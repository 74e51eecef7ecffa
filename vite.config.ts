import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { contentReload } from './scripts/vite-content-reload.ts';

// Pure-ESM packages made of many small files (Kysely alone is about 250) are bundled into the server's chunks when
// building: loading hundreds of separate modules was a large part of the app's start. Packages in CommonJS, with
// native code or with files they find beside them (PGlite's WebAssembly) stay in node_modules.
const BUNDLED_IN_SERVER = ['kysely', 'kysely-pglite-dialect', /^@oslojs\//, 'image-size', 'marked', 'devalue', 'esm-env', 'set-cookie-parser'];

export default defineConfig(({ command }) => ({
	plugins: [sveltekit(), contentReload()],
	server: { fs: { allow: ['content', 'seed'] } },
	ssr: command === 'build' ? { noExternal: BUNDLED_IN_SERVER } : {},
	test: {
		// A test that checks nothing fails: every test must make at least one assertion.
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					environment: 'node'
				}
			},
			{
				extends: true,
				test: {
					name: 'integration-pglite',
					include: ['tests/integration/**/*.test.ts'],
					exclude: ['tests/integration/**/*.postgres.test.ts'],
					env: { TEST_DB: 'pglite' },
					globalSetup: ['tests/integration/support/setup-pglite.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					name: 'integration-postgres',
					include: ['tests/integration/**/*.test.ts'],
					exclude: ['tests/integration/**/*.pglite.test.ts'],
					env: { TEST_DB: 'postgres' },
					globalSetup: ['tests/integration/support/setup-postgres.ts'],
					testTimeout: 60_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			}
		]
	}
}));
