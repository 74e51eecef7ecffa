// Tables of content publishing (migrations 2026_12_01_1200xx_*).
import type { Generated } from 'kysely';
import type { CreatedAt, Json } from './schema-columns';

export interface ContentPublicationTable {
	id: Generated<number>;
	content_hash: string;
	/** The published courses as served (see PublishedSnapshot in content/publication.ts). */
	snapshot: Json<unknown>;
	published_at: CreatedAt;
}

export interface PublishingTables {
	content_publication: ContentPublicationTable;
}
