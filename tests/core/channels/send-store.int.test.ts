import { randomUUID } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { suppress } from '../../../core/channels/consent';
import { outboxEmail, outboxSms } from '../../../core/channels/outbox';
import { createProviders } from '../../../core/channels/providers';
import { loadRecipient, loadRecipients } from '../../../core/channels/recipients';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import { batchedStore, directStore } from '../../../core/channels/send-store';
import { loadEnv } from '../../../core/config/env';
import type { DbHandle } from '../../../core/db/client';
import { customers, identities } from '../../../core/db/schema/customers';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer } from './fixtures';

/**
 * The worker's sends share their statements (core/channels/send-store.ts): many sends at once, through the batched
 * store, must store and answer exactly what each would alone — recipients (merged, erased, unknown), suppressions,
 * the message rows, retries by key — and a bad send must fail alone.
 */
describe.each(dbKinds())('sends sharing statements on %s', (kind) => {
	let h: DbHandle;
	// Copies of the outbox: each send calls them and writes the result after, as with a real provider (the outbox
	// itself has its row stored as sent at once, core/channels/send.ts).
	const providers = { ...createProviders(loadEnv({ APP_SECRET: 's' })), email: { ...outboxEmail }, sms: { ...outboxSms } };
	const people = Array.from({ length: 30 }, (_, i) => `p${i}`);

	beforeAll(async () => {
		h = await freshDb(kind);
		for (const id of people) await seedCustomer(h.db, id, { email: `${id}@example.com`, phone: `+336120000${id.slice(1).padStart(2, '0')}` });
		await h.db.insert(customers).values([
			{ id: 'merged', mergedInto: 'p0' },
			{ id: 'gone', erasedAt: new Date() }
		]);
		await h.db.insert(identities).values({ kind: 'email', value: 'p0@old.example', customerId: 'merged' });
		await suppress(h.db, 'email', 'p3@example.com', 'bounce', new Date());
		await suppress(h.db, 'sms', '+33612000004', 'stop', new Date());
	});
	afterAll(() => h.close());

	it('reads many recipients in one statement, each as loadRecipient answers it alone', async () => {
		const ids = [...people.slice(0, 5), 'merged', 'gone', 'nobody', 'p1'];
		const together = await loadRecipients(h.db, ids);
		for (const id of ids) expect(together.get(id)).toEqual(await loadRecipient(h.db, id));
		expect(together.get('merged')).toMatchObject({ customerId: 'p0', emails: ['p0@example.com', 'p0@old.example'] });
	});

	const inputs = (run: string): SendMessageInput[] =>
		[...people, 'merged', 'gone', 'nobody'].flatMap((customerId): SendMessageInput[] => [
			{ idempotencyKey: `${run}:${customerId}:email`, customerId, channel: 'email', email: { subject: 'Hi', text: 'Hello' } },
			{ idempotencyKey: `${run}:${customerId}:sms`, customerId, channel: 'sms', sms: { body: 'See you' } }
		]);

	/** What a run stored and answered, without ids and times: comparable between the two stores. */
	async function sendAll(run: string, store: ReturnType<typeof batchedStore> | ReturnType<typeof directStore>) {
		const list = inputs(run);
		const results = await Promise.all(list.map((input) => sendMessage(h.db, providers, input, store)));
		const rows = await h.db
			.select()
			.from(messages)
			.where(
				inArray(
					messages.idempotencyKey,
					list.map((i) => i.idempotencyKey)
				)
			);
		const byKey = new Map(rows.map((r) => [r.idempotencyKey.slice(run.length), r]));
		return {
			answers: results.map((r) => ({ outcome: r.outcome, status: r.status, replayed: r.replayed, ...('reason' in r ? { reason: r.reason } : {}) })),
			rows: [...byKey.entries()]
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([key, r]) => ({
					key,
					status: r.status,
					error: r.error,
					to: r.to,
					customerId: r.customerId,
					sent: r.sentAt !== null,
					dispatch: 'dispatch' in r.meta
				}))
		};
	}

	it('stores and answers 64 sends at once exactly as one by one would, in far fewer statements', async () => {
		const batched = batchedStore(h.db);
		const shared = await sendAll(`b-${randomUUID()}`, batched);
		const alone = await sendAll(`d-${randomUUID()}`, directStore(h.db));
		expect(shared).toEqual(alone);
		expect(shared.answers.filter((a) => a.outcome === 'sent')).toHaveLength(2 * 30 + 2 - 2); // p3's e-mail, p4's SMS suppressed
		expect(shared.rows.find((r) => r.key === ':p3:email')).toMatchObject({ status: 'skipped', error: 'suppressed' });
		expect(shared.rows.find((r) => r.key === ':merged:email')).toMatchObject({ status: 'sent', customerId: 'p0', to: 'p0@example.com' });
		expect(shared.rows.find((r) => r.key === ':gone:sms')).toMatchObject({ status: 'skipped', error: 'no_customer' });
		expect(shared.rows.every((r) => !r.dispatch)).toBe(true);
		// Sharing happened: fewer statements than sends for each kind.
		for (const [name, s] of Object.entries(batched.stats())) expect(s.writes, name).toBeLessThan(s.items);
	});

	it('answers a retry by its key, also when the same key comes twice at once', async () => {
		const run = `r-${randomUUID()}`;
		const store = batchedStore(h.db);
		const input: SendMessageInput = { idempotencyKey: `${run}:p5`, customerId: 'p5', channel: 'email', email: { subject: 'Once', text: 'Only once' } };
		const settled = await Promise.allSettled([sendMessage(h.db, providers, input, store), sendMessage(h.db, providers, input, store)]);
		const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
		const a = done.find((r) => !r.replayed)!;
		expect(done.filter((r) => !r.replayed)).toHaveLength(1);
		// In one statement the second attempt finds the first's row finished (replayed); in two statements side by
		// side it finds the row still held by the first and says so, for Temporal to retry it.
		for (const s of settled) {
			if (s.status === 'fulfilled') expect(s.value.messageId).toBe(a.messageId);
			else expect(s.reason).toMatchObject({ name: 'TransientChannelError', info: { code: 'in_flight' } });
		}
		const again = await sendMessage(h.db, providers, input, store);
		expect(again).toMatchObject({ messageId: a.messageId, outcome: 'sent', replayed: true });
		expect(await h.db.$count(messages, inArray(messages.idempotencyKey, [input.idempotencyKey]))).toBe(1);
	});

	it('fails only the send whose row cannot be stored; the others of its statement are stored', async () => {
		const run = `f-${randomUUID()}`;
		const store = batchedStore(h.db);
		const good = people.slice(10, 16).map((customerId) => store.insertOrGet(draft(`${run}:${customerId}`, customerId)));
		const bad = store.insertOrGet({ ...draft(`${run}:bad`, 'p9'), channel: null as unknown as 'email' }); // NOT NULL
		const settled = await Promise.allSettled([...good, bad]);
		expect(settled.slice(0, -1).every((s) => s.status === 'fulfilled' && s.value.inserted)).toBe(true);
		expect(settled.at(-1)!.status).toBe('rejected');
	});
});

function draft(key: string, customerId: string): typeof messages.$inferInsert {
	return {
		id: randomUUID(),
		idempotencyKey: key,
		channel: 'email',
		provider: 'outbox',
		customerId,
		to: `${customerId}@example.com`,
		body: 'x',
		status: 'pending'
	};
}
