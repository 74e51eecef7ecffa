import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

// video.js is served from our own origin, by version, so its files can be cached for a year.
const require = createRequire(import.meta.url);
const pkgDir = path.dirname(require.resolve('video.js/package.json'));
export const VIDEOJS_VERSION: string = JSON.parse(fs.readFileSync(path.join(pkgDir, 'package.json'), 'utf8')).version;
export const VIDEOJS_BASE = `/assets/videojs/${VIDEOJS_VERSION}`;

const FILES: Record<string, { file?: string; body?: string; type: string }> = {
	'video.core.min.js': { file: 'dist/alt/video.core.min.js', type: 'text/javascript' },
	'video-js.min.css': { file: 'dist/video-js.min.css', type: 'text/css' },
	'vi.js': { file: 'dist/lang/vi.js', type: 'text/javascript' }
};

export function readVideoAsset(name: string): { body: Buffer; type: string } | null {
	// Own keys only: "__proto__", "constructor" and "toString" are names of every object, not files.
	if (!Object.hasOwn(FILES, name)) return null;
	const f = FILES[name];
	return { body: f.body !== undefined ? Buffer.from(f.body) : fs.readFileSync(path.join(pkgDir, f.file!)), type: f.type };
}
