import path from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

// Test files that spend seconds starting processes or servers of their own (a streaming replica, pg_dump and
// pg_restore, the commands run through npm, a data directory copied and reopened). Vitest runs files it has no
// timing of yet largest first, which put these small files last: on a fresh clone the suite then waited for them
// with one worker idle. They go first instead, so that the other worker runs the quick files meanwhile. Once Vitest
// has timings (its cache, written by every run), the files it knows are ordered longest first as before.
// The longest wait first: the replica file starts two PostgreSQL servers before its test.
const STARTS_PROCESSES = [
	'replica.postgres',
	'roles',
	'backup.postgres',
	'backup.pglite',
	'pgdata-template.pglite',
	'units-import-cli.pglite',
	'embedded-storage.pglite',
	'stats-counting',
	'bank-command',
	'content-check-command',
	'test-database'
].map((name) => `/${name}.test.ts`);

export class SlowFirstSequencer extends BaseSequencer {
	async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
		const sorted = await super.sort(files);
		const known = (f: TestSpecification) => Boolean(this.ctx.cache.getFileTestResults(`${f.project.name}:${path.relative(this.ctx.config.root, f.moduleId)}`));
		const rank = (f: TestSpecification) => {
			const i = known(f) ? -1 : STARTS_PROCESSES.findIndex((end) => f.moduleId.endsWith(end));
			return i === -1 ? STARTS_PROCESSES.length : i;
		};
		// Projects stay together (a worker process serves one project's files in turn); within one, slow files first.
		const position = new Map(sorted.map((f, i) => [f, i]));
		const projectStart = new Map<string, number>();
		for (const [f, i] of position) if (!projectStart.has(f.project.name)) projectStart.set(f.project.name, i);
		return [...sorted].sort((a, b) => projectStart.get(a.project.name)! - projectStart.get(b.project.name)! || rank(a) - rank(b) || position.get(a)! - position.get(b)!);
	}
}
