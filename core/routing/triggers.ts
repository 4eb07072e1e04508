import { and, eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { journeys, journeyVersions } from '../db/schema/journeys';
import { parseJourney } from '../graph/validate';
import type { JourneyDefinition } from '../graph/definition';
import { triggerOf } from '../graph/graph';

export type LiveJourney = { journeyId: string; version: number; definition: JourneyDefinition };

export type TriggerIndex = {
	byEvent: Map<string, LiveJourney[]>;
	bySegment: Map<string, LiveJourney[]>;
	byId: Map<string, LiveJourney>;
};

/** Other processes publish too (web vs worker): a short TTL bounds how long they take to notice. */
const TTL_MS = 5_000;

/**
 * Active journeys' live versions indexed by what starts them, so routing an event costs a map lookup, not a
 * query per journey. Refreshed on publish (`invalidate`) and every few seconds.
 */
export class TriggerCache {
	private cached?: { at: number; index: Promise<TriggerIndex> };
	constructor(private readonly db: Db) {}

	invalidate(): void {
		this.cached = undefined;
	}

	get(now = Date.now()): Promise<TriggerIndex> {
		if (!this.cached || now - this.cached.at > TTL_MS) {
			const index = loadIndex(this.db);
			this.cached = { at: now, index };
			index.catch(() => (this.cached = undefined));
		}
		return this.cached.index;
	}
}

async function loadIndex(db: Db): Promise<TriggerIndex> {
	const rows = await db
		.select({ journeyId: journeys.id, version: journeyVersions.version, definition: journeyVersions.definition })
		.from(journeys)
		.innerJoin(journeyVersions, and(eq(journeyVersions.journeyId, journeys.id), eq(journeyVersions.version, journeys.liveVersion)))
		// Archived journeys are never live (archiving refuses an active one); checked here too, as routing's last word.
		.where(and(eq(journeys.status, 'active'), isNotNull(journeys.liveVersion), isNull(journeys.archivedAt)));
	const index: TriggerIndex = { byEvent: new Map(), bySegment: new Map(), byId: new Map() };
	for (const row of rows) {
		// Stored JSON is re-validated when read: a bad row is skipped loudly rather than breaking routing.
		let definition: JourneyDefinition;
		try {
			definition = parseJourney(row.definition);
		} catch (err) {
			console.error(`journey ${row.journeyId} v${row.version} has an invalid definition; not routing to it`, err);
			continue;
		}
		const live = { journeyId: row.journeyId, version: row.version, definition };
		index.byId.set(live.journeyId, live);
		const entry = triggerOf(definition)?.entry;
		if (entry?.kind === 'event') push(index.byEvent, entry.event, live);
		if (entry?.kind === 'segment') push(index.bySegment, entry.segmentId, live);
	}
	return index;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
	const list = map.get(key);
	if (list) list.push(value);
	else map.set(key, [value]);
}
