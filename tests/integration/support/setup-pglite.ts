import type { TestProject } from 'vitest/node';
import { makePgliteTemplate } from './template';

/** Vitest global setup of the PGlite integration project: one migrated template (and one empty database) per run. */
export default async function setup(project: TestProject) {
	const template = await makePgliteTemplate();
	project.provide('pgliteTemplate', template.file);
	project.provide('pgliteEmpty', template.empty);
	project.provide('pgliteTemplateDir', template.dir);
	project.provide('pgliteEmptyDir', template.emptyDir);
	return () => template.remove();
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		pgliteEmpty: string;
		/** The same two as data directories on disk (`.../pgdata`), to copy with seedPgdataFromTemplate. */
		pgliteTemplateDir: string;
		pgliteEmptyDir: string;
		postgresTemplate: string;
		/** Names of the run's databases on the server start with this and `_` (all dropped at the end of the run). */
		postgresPrefix: string;
	}
}
