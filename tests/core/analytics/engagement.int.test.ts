import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnalyticsFilters, journeyAnalytics } from '../../../core/analytics/index';
import { ENGAGEMENT_STAGES, STATUSES_OF } from '../../../core/analytics/engagement';
import { recordMessageEvent, statusOrder } from '../../../core/channels/status';
import { dbKinds, freshDb } from '../../helpers/db';
import { expectedFigures, type Slice } from './expected';
import { seedScenario, type Scenario } from './fixture';

describe.each(dbKinds())('channel engagement kept by the database on %s', (kind) => {
	let db: Awaited<ReturnType<typeof freshDb>>;
	let sc: Scenario;

	beforeAll(async () => {
		db = await freshDb(kind);
		sc = await seedScenario(db, 120);
	}, 180_000);
	afterAll(async () => db?.close());

	const engagementOf = async (slice: Slice) => {
		const result = await journeyAnalytics(db.db, sc.journeyId, AnalyticsFilters.parse(slice));
		return Object.fromEntries(result.engagement.steps.filter((s) => Object.values(s.counts).some((n) => n > 0)).map((s) => [s.nodeId, s.counts]));
	};

	it('the database maps every status to the stages the code documents (STATUSES_OF)', async () => {
		for (const status of statusOrder) {
			const result = await db.db.execute(sql`select analytics_stage_bits(${status}) as bits`);
			const [row] = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as { bits: number }[];
			const want = ENGAGEMENT_STAGES.reduce((bits, stage, i) => (STATUSES_OF[stage].includes(status) ? bits | (1 << i) : bits), 0);
			expect([status, Number(row!.bits)]).toEqual([status, want]);
		}
	});

	it('a webhook event arriving twice, and a second open, count the message once per stage', async () => {
		// A message only sent so far, preferably of an enrollment given its variant after it (its figures moved).
		const variantOf = (id: string | null) => sc.enrollments.find((e) => e.id === id)?.variant ?? '';
		const candidates = sc.messages.filter((m) => !m.test && m.status === 'sent' && m.events.length === 0);
		const raw = candidates.find((m) => variantOf(m.enrollmentId) !== '') ?? candidates[0]!;
		expect(raw).toBeDefined();
		const event = (status: 'delivered' | 'opened', id: string) =>
			recordMessageEvent(db.db, { messageId: raw.id, status, providerEventId: id, raw: {}, at: new Date() });
		expect(await event('delivered', `${raw.id}:late-1`)).toBe('recorded');
		expect(await event('opened', `${raw.id}:late-2`)).toBe('recorded');
		expect(await event('opened', `${raw.id}:late-2`)).toBe('duplicate');
		expect(await event('opened', `${raw.id}:late-3`)).toBe('recorded');
		// A new array: the fixture's messages of one outcome share theirs.
		raw.events = [...raw.events, 'delivered', 'opened', 'opened'];
		raw.status = 'opened';
		const variant = variantOf(raw.enrollmentId);
		for (const slice of [{}, ...(variant ? [{ variant }] : []), { channel: raw.channel }] as Slice[])
			expect(await engagementOf(slice)).toEqual(expectedFigures(sc, slice).engagement);
	});
});
