import fs from 'node:fs';
import path from 'node:path';
import { findCourse } from './index';

const TYPES: Record<string, string> = {
	'.svg': 'image/svg+xml',
	'.png': 'image/png',
	'.jpg': 'image/jpeg',
	'.jpeg': 'image/jpeg',
	'.webp': 'image/webp',
	'.gif': 'image/gif',
	'.mp4': 'video/mp4',
	'.webm': 'video/webm',
	'.vtt': 'text/vtt; charset=utf-8',
	'.mp3': 'audio/mpeg',
	'.ogg': 'audio/ogg'
};

/** A media file of a course, or null. Only files under the course's `media/` folder with a known type are served. */
export async function findMediaFile(courseSlug: string, relPath: string): Promise<{ file: string; type: string; size: number } | null> {
	const course = await findCourse(courseSlug);
	if (!course) return null;
	const dir = path.resolve(path.dirname(course.file), 'media');
	const file = path.resolve(path.dirname(course.file), relPath);
	if (!file.startsWith(dir + path.sep)) return null;
	const type = TYPES[path.extname(file).toLowerCase()];
	if (!type) return null;
	try {
		const st = fs.statSync(file);
		return st.isFile() ? { file, type, size: st.size } : null;
	} catch {
		return null;
	}
}
