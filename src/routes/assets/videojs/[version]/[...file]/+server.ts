import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { readVideoAsset, VIDEOJS_VERSION } from '$lib/server/video-assets';

export const GET: RequestHandler = ({ params }) => {
	const asset = params.version === VIDEOJS_VERSION ? readVideoAsset(params.file) : null;
	if (!asset) error(404, 'Không tìm thấy tệp');
	return new Response(new Uint8Array(asset.body), {
		headers: { 'Content-Type': `${asset.type}; charset=utf-8`, 'Cache-Control': 'public, max-age=31536000, immutable' }
	});
};
