import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type DbHandle } from '../../../core/db/client';
import { migrate, migrationsFolder } from '../../../core/db/migrate';
import { customers, segmentMembers } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { enrollments, journeys, journeyVersions, stepLog } from '../../../core/db/schema/journeys';
import { messageEvents, messages } from '../../../core/db/schema/messages';
import { offers, storeTasks } from '../../../core/db/schema/offers';
import { blankDb, dbKinds } from '../../helpers/db';

type Journal = { entries: { idx: number; tag: string }[] };

/** A copy of the committed migrations that stops just before `tag`, so a database can be built as it was then. */
function migrationsBefore(tag: string): string {
	const folder = mkdtempSync(join(tmpdir(), 'omnicanal-migrations-'));
	cpSync(migrationsFolder, folder, { recursive: true });
	const journalFile = join(folder, 'meta', '_journal.json');
	const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as Journal;
	const at = journal.entries.findIndex((e) => e.tag === tag);
	if (at < 0) throw new Error(`no migration ${tag}`);
	writeFileSync(journalFile, JSON.stringify({ ...journal, entries: journal.entries.slice(0, at) }));
	return folder;
}

/** Why a query failed, whichever driver ran it (drizzle wraps the driver's error as `cause`). */
function failure(e: unknown): string {
	const err = e as { message?: string; cause?: { message?: string } };
	return `${err.message ?? ''} ${err.cause?.message ?? ''}`;
}

const node = (id: string, type: string, x: number, y: number, data: Record<string, unknown> = {}) => ({ id, type, position: { x, y }, ...data });
// A graph as drafts and versions stored it before 0003: each node carried its canvas position.
const oldGraph = {
	schemaVersion: 1,
	nodes: [node('start', 'trigger', 40, 80, { event: 'product_viewed' }), node('wait', 'wait', 40, 200, { duration: '1 day' }), { id: 'exit', type: 'exit' }],
	edges: [
		{ id: 'e1', source: 'start', target: 'wait' },
		{ id: 'e2', source: 'wait', target: 'exit' }
	],
	settings: { reentry: { mode: 'never' }, exitCriteria: [] }
};

/**
 * Rows as a database before 0003 held them: the graph with positions inside, and what older code could leave
 * behind without foreign keys — steps, delivery events and enrollments whose parents are gone, history naming
 * customers that do not exist, a merge pointer to nowhere.
 */
const oldRows = [
	`insert into customers (id, traits) values ('ada', '{"name":"Ada"}'), ('bob', '{}')`,
	`update customers set merged_into = 'nobody-survivor' where id = 'bob'`,
	`insert into journeys (id, name, status, draft, live_version) values ('j-live', 'Spring', 'active', '${JSON.stringify(oldGraph)}', 1)`,
	`insert into journey_versions (journey_id, version, definition) values ('j-live', 1, '${JSON.stringify(oldGraph)}')`,
	`insert into enrollments (id, journey_id, version, customer_id, n) values
		('enr-ok', 'j-live', 1, 'ada', 1),
		('enr-no-journey', 'j-deleted', 1, 'ada', 1),
		('enr-lost-customer', 'j-live', 1, 'lost-1', 1)`,
	`insert into step_log (enrollment_id, journey_id, version, customer_id, node_id, kind) values
		('enr-ok', 'j-live', 1, 'ada', 'start', 'entered'),
		('enr-gone', 'j-live', 1, 'ada', 'start', 'entered'),
		('enr-no-journey', 'j-deleted', 1, 'ada', 'start', 'entered')`,
	`insert into messages (id, idempotency_key, channel, provider, customer_id, journey_id, enrollment_id, "to", body) values
		('m-ok', 'k-ok', 'email', 'outbox', 'ada', 'j-live', 'enr-ok', 'ada@example.test', 'Hi'),
		('m-lost-enrollment', 'k-lost', 'email', 'outbox', 'ada', 'j-live', 'enr-gone', 'ada@example.test', 'Hi'),
		('m-lost-customer', 'k-lost-customer', 'sms', 'outbox', 'lost-2', null, null, '+33612345678', 'Hi')`,
	`insert into message_events (message_id, status) values ('m-ok', 'delivered'), ('m-gone', 'delivered')`,
	`insert into offers (id, code, grant_key, customer_id, enrollment_id, title, kind, value, expires_at) values
		('o-ok', 'SPRING-2222-3333', 'g-1', 'ada', 'enr-gone', 'Spring', 'percent', 20, now() + interval '7 days')`,
	`insert into store_tasks (id, task_key, customer_id, enrollment_id, offer_id, title) values
		('t-1', 'task-1', 'ada', 'enr-ok', 'o-gone', 'Welcome Ada')`,
	`insert into events (id, message_id, type, name, customer_id, timestamp) values ('ev-1', 'msg-1', 'track', 'product_viewed', 'lost-3', now())`,
	`insert into segments (id, name, definition) values ('vip', 'VIP', '{}')`,
	`insert into segment_members (segment_id, customer_id) values ('vip', 'ada'), ('vip', 'lost-4')`
];

describe.each(dbKinds())('migrations on %s', (kind) => {
	let h: DbHandle;
	let folder: string;
	beforeAll(async () => {
		h = await blankDb(kind);
		folder = migrationsBefore('0003_journey_layout');
		await migrate(h, folder);
		for (const statement of oldRows) await h.db.execute(sql.raw(statement));
		await migrate(h);
	});
	afterAll(async () => {
		await h?.close();
		if (folder) rmSync(folder, { recursive: true, force: true });
	});

	it('moves node positions out of drafts and versions into their layout (0003)', async () => {
		const [journey] = await h.db.select().from(journeys).where(eq(journeys.id, 'j-live'));
		const [version] = await h.db.select().from(journeyVersions).where(eq(journeyVersions.journeyId, 'j-live'));
		const expectedLayout = { nodes: { start: { x: 40, y: 80 }, wait: { x: 40, y: 200 } } };
		const withoutPositions = oldGraph.nodes.map((n) => Object.fromEntries(Object.entries(n).filter(([key]) => key !== 'position')));
		expect(journey!.layout).toEqual(expectedLayout);
		expect((journey!.draft as typeof oldGraph).nodes).toEqual(withoutPositions);
		expect(journey!.revision).toBe(0);
		expect(version!.layout).toEqual(expectedLayout);
		expect((version!.definition as typeof oldGraph).nodes).toEqual(withoutPositions);
		expect((version!.definition as typeof oldGraph).edges).toEqual(oldGraph.edges);
	});

	it('settles orphans before adding the foreign keys (0004)', async () => {
		// Enrollments of a missing journey go, with their steps and the steps of enrollments already gone.
		expect((await h.db.select({ id: enrollments.id }).from(enrollments).orderBy(asc(enrollments.id))).map((r) => r.id)).toEqual([
			'enr-lost-customer',
			'enr-ok'
		]);
		expect((await h.db.select({ e: stepLog.enrollmentId }).from(stepLog)).map((r) => r.e)).toEqual(['enr-ok']);
		// History naming a missing customer keeps it: the customer is back as an empty profile.
		const people = await h.db.select().from(customers).orderBy(asc(customers.id));
		expect(people.map((c) => c.id)).toEqual(['ada', 'bob', 'lost-1', 'lost-2', 'lost-3']);
		expect(people.find((c) => c.id === 'lost-1')).toMatchObject({ traits: {}, mergedInto: null, erasedAt: null });
		expect(people.find((c) => c.id === 'ada')!.traits).toEqual({ name: 'Ada' });
		// A merge pointer to nowhere is dropped; a membership of nobody goes.
		expect(people.find((c) => c.id === 'bob')!.mergedInto).toBeNull();
		expect(await h.db.select().from(segmentMembers)).toMatchObject([{ segmentId: 'vip', customerId: 'ada' }]);
		// Messages, offers and tasks forget a missing enrollment or offer; delivery events of a missing message go.
		const sent = await h.db.select({ id: messages.id, enrollmentId: messages.enrollmentId }).from(messages).orderBy(asc(messages.id));
		expect(sent).toEqual([
			{ id: 'm-lost-customer', enrollmentId: null },
			{ id: 'm-lost-enrollment', enrollmentId: null },
			{ id: 'm-ok', enrollmentId: 'enr-ok' }
		]);
		expect((await h.db.select({ m: messageEvents.messageId }).from(messageEvents)).map((r) => r.m)).toEqual(['m-ok']);
		expect(await h.db.select({ enrollmentId: offers.enrollmentId }).from(offers)).toEqual([{ enrollmentId: null }]);
		expect(await h.db.select({ enrollmentId: storeTasks.enrollmentId, offerId: storeTasks.offerId }).from(storeTasks)).toEqual([
			{ enrollmentId: 'enr-ok', offerId: null }
		]);
		expect(await h.db.$count(events)).toBe(1);
	});

	it('then refuses rows that point at nothing, and deletes as each table says', async () => {
		await expect(
			h.db.insert(stepLog).values({ enrollmentId: 'enr-nope', journeyId: 'j-live', version: 1, customerId: 'ada', nodeId: 'start', kind: 'entered' })
		).rejects.toSatisfy((e) => failure(e).includes('step_log_enrollment_fk'));
		await expect(
			h.db.insert(events).values({ id: 'ev-x', messageId: 'msg-x', type: 'track', name: 'x', customerId: 'nobody', timestamp: new Date() })
		).rejects.toSatisfy((e) => failure(e).includes('events_customer_fk'));
		// Customers are never deleted (erasure blanks them): one with history cannot be.
		await expect(h.db.delete(customers).where(eq(customers.id, 'ada'))).rejects.toSatisfy((e) => failure(e).includes('_fk'));
		// Steps go with their enrollment; a message outlives it by forgetting it.
		await h.db.delete(enrollments).where(eq(enrollments.id, 'enr-ok'));
		expect(await h.db.$count(stepLog)).toBe(0);
		expect((await h.db.select({ enrollmentId: messages.enrollmentId }).from(messages).where(eq(messages.id, 'm-ok')))[0]).toEqual({ enrollmentId: null });
	});
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('migrations started by several processes at once (PostgreSQL)', () => {
	it('take turns: each start succeeds and every migration is applied once', async () => {
		const first = await blankDb('postgres');
		const others = await Promise.all([0, 1, 2].map(() => openDb({ kind: 'postgres', url: first.url! })));
		try {
			await Promise.all([first, ...others].map((h) => migrate(h)));
			const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as Journal;
			const applied = await first.db.execute(sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
			expect((applied as unknown as { n: number }[])[0]?.n ?? (applied as unknown as { rows: { n: number }[] }).rows[0]?.n).toBe(journal.entries.length);
		} finally {
			await Promise.all(others.map((h) => h.close()));
			await first.close();
		}
	});
});
