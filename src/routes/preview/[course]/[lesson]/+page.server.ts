import { error } from '@sveltejs/kit';
import { dev } from '$app/environment';
import type { PageServerLoad } from './$types';
import { previewLesson } from '$lib/server/content/preview';

export const csr = false;

// Development only: a trainer editing content/ on their own machine. Not served by a built app.
export const load: PageServerLoad = async ({ params }) => {
	if (!dev) error(404, 'Không tìm thấy trang');
	const preview = previewLesson(process.env.HOCSO_CONTENT_DIR || 'content', params.course, params.lesson);
	if (!preview) error(404, 'Không tìm thấy bài học này trong content/');
	return {
		course: params.course,
		...preview,
		problems: preview.problems.map((p) => ({ where: `${p.file}:${p.line}`, error: p.severity === 'error', message: p.message }))
	};
};
