import type { TestProject } from 'vitest/node';
import { makePgliteTemplate } from './template';

/** Vitest global setup of the PGlite integration project: one migrated template (and one empty database) per run. */
export default async function setup(project: TestProject) {
	const template = await makePgliteTemplate();
	project.provide('pgliteTemplate', template.file);
	project.provide('pgliteEmpty', template.empty);
	return () => template.remove();
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		pgliteEmpty: string;
		postgresTemplate: string;
	}
}
