import { spawn } from 'node:child_process';

export interface CommandRun {
	code: number | null;
	stdout: string;
	stderr: string;
}

/**
 * Runs `npm run --silent <args>` as a person would, on the database named by `dbEnv` (DATABASE_URL or
 * HOCSO_DATA_DIR) and not the test runner's.
 */
export function runNpmCommand(args: string[], dbEnv: Record<string, string>): Promise<CommandRun> {
	const env: NodeJS.ProcessEnv = {};
	for (const [k, v] of Object.entries(process.env)) if (!/^(VITEST|TEST_DB$|DATABASE_URL$|HOCSO_DATA_DIR$|NODE_ENV$)/.test(k)) env[k] = v;
	return new Promise((resolve, reject) => {
		const child = spawn('npm', ['run', '--silent', ...args], { env: { ...env, ...dbEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (d) => (stdout += d));
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('close', (code) => resolve({ code, stdout, stderr }));
	});
}
