import type { Plugin } from 'vite';
import path from 'node:path';

/**
 * In development, saving a file under content/ reloads the page: the server re-reads the content index on the
 * next request (it checks file times), and this plugin tells the browser to reload.
 */
export function contentReload(): Plugin {
	return {
		name: 'hocso-content-reload',
		apply: 'serve',
		configureServer(server) {
			const dir = path.resolve(process.env.HOCSO_CONTENT_DIR || 'content');
			server.watcher.add(dir);
			const onChange = (file: string) => {
				if (file.startsWith(dir)) server.ws.send({ type: 'full-reload', path: '*' });
			};
			server.watcher.on('change', onChange);
			server.watcher.on('add', onChange);
			server.watcher.on('unlink', onChange);
		}
	};
}
