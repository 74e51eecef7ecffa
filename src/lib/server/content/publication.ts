import path from 'node:path';
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Content, Course } from './loader';
import { loadContentIds, syncContent, type ContentIds } from './sync';

/** What a publication keeps: the rendered courses, enough to serve them without reading the files. */
export interface PublishedSnapshot {
	courses: Course[];
	/**
	 * On the publication made when the app was built (scripts/pglite-template.ts), which a new embedded database
	 * starts with: the content folder it was made from (contentFolderName). Nobody published it on the app itself, so
	 * it stands for "published" only when the app serves that same folder (see ContentPublisher's start).
	 */
	builtFrom?: string;
}

/** A content folder as the build and the app name it: relative to the app's folder, where both run. */
export function contentFolderName(root: string): string {
	return path.relative(process.cwd(), path.resolve(root)) || '.';
}

/** Snapshots kept besides the newest: older ones are of no use once a newer one is served. */
const KEEP = 5;

/**
 * What a publication stands for: every course's content hash, and where each course and lesson sits and the
 * course's code (a renamed folder moves a lesson without changing its text).
 */
export function contentHash(content: Pick<Content, 'courses'>): string {
	return createHash('sha256')
		.update(content.courses.map((c) => `${c.slug}:${c.hash}:${c.position}:${c.code}:${c.lessons.map((l) => `${l.slug}@${l.position}`).join(',')}`).join('\n'))
		.digest('hex');
}

/**
 * Whether this content is what the database already serves: the newest publication is of the same content, and
 * every lesson names its practices (lessons published before practices were counted are published again once).
 * One query, where publishing unchanged content reads every course and writes nothing.
 */
async function isPublished(db: Kysely<Database>, hash: string): Promise<boolean> {
	const { rows } = await sql<{ current: boolean }>`
		select coalesce((select content_hash = ${hash} from content_publication order by id desc limit 1), false)
			and not exists (
				select 1 from lesson l join lesson_version v on v.id = l.current_version_id
				where v.practice_keys is null and l.retired_at is null
			) as current`.execute(db);
	return rows[0]?.current === true;
}

/**
 * Publishes valid content: versions in the database (syncContent), then a snapshot of what is served, so that a
 * later start on broken files can still serve it. Returns the ids now current. Content the database already
 * serves (a restart on the same files) is not published again.
 */
export async function publishContent(db: Kysely<Database>, content: Content, opts: { builtFrom?: string } = {}): Promise<ContentIds> {
	const hash = contentHash(content);
	if (await isPublished(db, hash)) return loadContentIds(db);
	const ids = await syncContent(db, content);
	const latest = await db.selectFrom('content_publication').select(['id', 'content_hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
	if (latest?.content_hash !== hash) {
		// builtFrom, when absent, is left out of the JSON.
		const snapshot: PublishedSnapshot = { courses: content.courses, builtFrom: opts.builtFrom };
		await db.insertInto('content_publication').values({ content_hash: hash, snapshot: JSON.stringify(snapshot) }).execute();
		const keep = await db.selectFrom('content_publication').select('id').orderBy('id', 'desc').offset(KEEP).limit(1).executeTakeFirst();
		if (keep) await db.deleteFrom('content_publication').where('id', '<=', keep.id).execute();
	}
	return ids;
}

/** The newest publication, or null when content was never published in this database. */
export async function findLastPublication(db: Kysely<Database>): Promise<{ snapshot: PublishedSnapshot; publishedAt: Date } | null> {
	const row = await db.selectFrom('content_publication').select(['snapshot', 'published_at']).orderBy('id', 'desc').limit(1).executeTakeFirst();
	if (!row) return null;
	const snapshot = (typeof row.snapshot === 'string' ? JSON.parse(row.snapshot) : row.snapshot) as PublishedSnapshot;
	return { snapshot, publishedAt: row.published_at };
}
