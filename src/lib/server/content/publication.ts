import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Content, Course } from './loader';
import { syncContent, type ContentIds } from './sync';

/** What a publication keeps: the rendered courses, enough to serve them without reading the files. */
export interface PublishedSnapshot {
	courses: Course[];
}

/** Snapshots kept besides the newest: older ones are of no use once a newer one is served. */
const KEEP = 5;

export function contentHash(content: Pick<Content, 'courses'>): string {
	return createHash('sha256')
		.update(content.courses.map((c) => `${c.slug}:${c.hash}`).join('\n'))
		.digest('hex');
}

/**
 * Publishes valid content: versions in the database (syncContent), then a snapshot of what is served, so that a
 * later start on broken files can still serve it. Returns the ids now current.
 */
export async function publishContent(db: Kysely<Database>, content: Content): Promise<ContentIds> {
	const ids = await syncContent(db, content);
	const hash = contentHash(content);
	const latest = await db.selectFrom('content_publication').select(['id', 'content_hash']).orderBy('id', 'desc').limit(1).executeTakeFirst();
	if (latest?.content_hash !== hash) {
		const snapshot: PublishedSnapshot = { courses: content.courses };
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
