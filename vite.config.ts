import os from 'node:os';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';
import { contentReload } from './scripts/vite-content-reload.ts';
import { SlowFirstSequencer } from './tests/sequencer.ts';

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
		// Every test file has a database of its own (a PGlite in memory, or a database on the server copied from a
		// template), so files run side by side: two at a time even on two cores, as a PostgreSQL file spends most
		// of its time waiting for the server while a PGlite file computes. Vitest's default is one fewer than the
		// cores, i.e. one file at a time there. HOCSO_TEST_WORKERS sets another number.
		maxWorkers: Number(process.env.HOCSO_TEST_WORKERS) || Math.max(2, os.availableParallelism() - 1),
		// Files that start processes of their own run first when Vitest has no timings yet (tests/sequencer.ts).
		sequence: { sequencer: SlowFirstSequencer },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts', 'scripts/**/*.test.ts'],
					environment: 'node',
					// Vitest's 5 s default is close to what the heaviest (a 3,000-question bank, the real courses)
					// take on a loaded 2-core machine: about 2 s, and the same machine is 2 to 3 times slower on
					// some days. A limit is not a speed check (the benches measure speed).
					testTimeout: 30_000,
					// As in the integration projects, a worker runs file after file without loading the modules again:
					// the unit project takes 9 s instead of 19 s (`vitest run --project unit`). No unit test mocks a
					// module; the one that sets an environment variable puts it back.
					isolate: false
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
					// A worker process runs file after file without loading the app's modules again (a third of the
					// suite's CPU time). Each file gets a database in the template's state: the previous file's, emptied
					// and checked, or a new one (support/test-db.ts); files that use the app's own database and
					// content go through openAppTestDatabase, whose close resets both (support/app-db.ts).
					isolate: false
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
					// A worker process runs file after file without loading the app's modules again (a third of the
					// suite's CPU time). Each file opens its own database; files that use the app's own database and
					// content go through openAppTestDatabase, whose close resets both (support/app-db.ts).
					isolate: false
				}
			}
		]
	}
}));
