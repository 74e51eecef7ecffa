import { error, json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { buildOfflineManifest } from '$lib/server/offline/manifest';

/** The list of what to store for learning the course offline, with its version and size. Public, like the course. */
export const GET: RequestHandler = async ({ params }) => {
	const manifest = await buildOfflineManifest(params.course);
	if (!manifest) error(404, 'Không tìm thấy khóa học');
	return json(manifest, { headers: { 'Cache-Control': 'no-cache' } });
};
