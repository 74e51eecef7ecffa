import { error } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { getLessonPage } from '$lib/server/content/catalog';
import { VIDEOJS_BASE } from '$lib/server/video-assets';

export const load: PageServerLoad = async ({ params }) => {
	const page = await getLessonPage(params.course, params.lesson);
	if (!page) error(404, 'Không tìm thấy bài học');
	return { ...page, videoBase: VIDEOJS_BASE };
};
