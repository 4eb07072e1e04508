import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { segments } from '../db/schema/customers';
import { SegmentDefinition, type SegmentDefinitionInput } from './definition';

export type LoadedSegment = { id: string; name: string; definition: SegmentDefinition };

/** Validates before storing; throws zod's error on a bad definition. */
export async function createSegment(db: Db, input: { id?: string; name: string; definition: SegmentDefinitionInput }): Promise<LoadedSegment> {
	const definition = SegmentDefinition.parse(input.definition);
	const id = input.id ?? randomUUID();
	await db.insert(segments).values({ id, name: input.name, definition });
	return { id, name: input.name, definition };
}

export async function updateSegmentDefinition(db: Db, id: string, input: SegmentDefinitionInput): Promise<void> {
	await db
		.update(segments)
		.set({ definition: SegmentDefinition.parse(input), updatedAt: new Date() })
		.where(eq(segments.id, id));
}

/**
 * Every segment whose stored definition is still valid (re-validated on read: a definition written by an older
 * version must not break ingest). Invalid ones are skipped, never evaluated.
 */
export async function loadSegments(db: Db, id?: string): Promise<LoadedSegment[]> {
	const rows = await db
		.select({ id: segments.id, name: segments.name, definition: segments.definition })
		.from(segments)
		.where(id === undefined ? undefined : eq(segments.id, id))
		.orderBy(asc(segments.id));
	return rows.flatMap((r) => {
		const parsed = SegmentDefinition.safeParse(r.definition);
		return parsed.success ? [{ id: r.id, name: r.name, definition: parsed.data }] : [];
	});
}
