import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { contentReload } from './scripts/vite-content-reload.ts';

export default defineConfig({
	plugins: [sveltekit(), contentReload()],
	server: { fs: { allow: ['content', 'seed'] } },
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
});
