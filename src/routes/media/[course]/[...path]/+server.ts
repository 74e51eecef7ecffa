import fs from 'node:fs';
import { Readable } from 'node:stream';
import { error } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { findMediaFile } from '$lib/server/content/media';

// Media URLs carry the file's content hash (?v=...), so a changed file gets a new URL: cache for a year.
export const GET: RequestHandler = async ({ params, request, url }) => {
	const media = await findMediaFile(params.course, params.path);
	if (!media) error(404, 'Không tìm thấy tệp');
	const headers: Record<string, string> = {
		'Content-Type': media.type,
		'Accept-Ranges': 'bytes',
		'Cache-Control': url.searchParams.has('v') ? 'public, max-age=31536000, immutable' : 'public, max-age=3600',
		// An SVG opened directly must not run script.
		'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; sandbox"
	};
	const range = /^bytes=(\d*)-(\d*)$/.exec(request.headers.get('range') ?? '');
	if (range && (range[1] || range[2])) {
		let start = range[1] ? Number(range[1]) : media.size - Number(range[2]);
		let end = range[1] && range[2] ? Number(range[2]) : media.size - 1;
		start = Math.max(0, start);
		end = Math.min(end, media.size - 1);
		if (start > end) {
			return new Response(null, { status: 416, headers: { 'Content-Range': `bytes */${media.size}` } });
		}
		const stream = Readable.toWeb(fs.createReadStream(media.file, { start, end })) as ReadableStream;
		return new Response(stream, {
			status: 206,
			headers: { ...headers, 'Content-Range': `bytes ${start}-${end}/${media.size}`, 'Content-Length': String(end - start + 1) }
		});
	}
	const stream = Readable.toWeb(fs.createReadStream(media.file)) as ReadableStream;
	return new Response(stream, { headers: { ...headers, 'Content-Length': String(media.size) } });
};
