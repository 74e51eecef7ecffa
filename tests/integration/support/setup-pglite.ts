import type { TestProject } from 'vitest/node';
import { makePgliteTemplate } from './template';

/** Vitest global setup of the PGlite integration project: one migrated template per run. */
export default async function setup(project: TestProject) {
	const template = await makePgliteTemplate();
	project.provide('pgliteTemplate', template.file);
	return () => template.remove();
}

declare module 'vitest' {
	export interface ProvidedContext {
		pgliteTemplate: string;
		postgresTemplate: string;
	}
}
