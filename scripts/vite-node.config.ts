// The Vite configuration of the operators' commands (`npm run db:migrate`, `user:grant`, `units:import`,
// `guests:cleanup`), run with vite-node: only what their code needs, the `$lib` alias (import.meta.glob and ?raw
// imports are Vite's own). Loading the app's vite.config.ts instead starts the SvelteKit plugin, which took more
// than half of a command's CPU time (measured: `user:grant` 4.5 s of CPU with it, 2.1 s without).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

export default defineConfig({
	resolve: { alias: { $lib: fileURLToPath(new URL('../src/lib', import.meta.url)) } }
});
