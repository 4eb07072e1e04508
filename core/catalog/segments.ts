import { asc } from 'drizzle-orm';
import type { Db } from '../db/client';
import { segments } from '../db/schema/customers';

export type CatalogSegment = { id: string; name: string };

/** Every segment by name, for the trigger's segment picker (a workspace has tens, not thousands). */
export async function catalogSegments(db: Db): Promise<CatalogSegment[]> {
	return db.select({ id: segments.id, name: segments.name }).from(segments).orderBy(asc(segments.name), asc(segments.id)).limit(1000);
}
