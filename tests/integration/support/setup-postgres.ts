import type { TestProject } from 'vitest/node';
import { makePostgresTemplate } from './template';

/** Vitest global setup of the PostgreSQL integration project: one migrated template database per run. */
export default async function setup(project: TestProject) {
	const template = await makePostgresTemplate();
	project.provide('postgresTemplate', template.name);
	project.provide('postgresPrefix', template.prefix);
	return () => template.remove();
}
