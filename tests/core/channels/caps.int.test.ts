/**
 * Frequency caps across channels, checked and counted at send time under a per-customer lock: a cap on every
 * marketing message together beside per-channel caps; transactional messages exempt; skip or wait per step.
 */
import { randomUUID } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CapRule } from '../../../core/channels/caps';
import { outboxAudience, outboxEmail, outboxSms } from '../../../core/channels/outbox';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import type { Providers } from '../../../core/channels/types';
import type { DbHandle } from '../../../core/db/client';
import { messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer, seedEnrollment, settings } from './fixtures';

const providers: Providers = { email: outboxEmail, sms: outboxSms, audiences: { meta: outboxAudience, google: outboxAudience }, settings };
const DAY = 86_400_000;
const WEEK = 7 * DAY;
const monday = new Date('2026-03-02T09:00:00Z');
const at = (ms: number) => new Date(monday.getTime() + ms);
const threeAWeek: CapRule[] = [{ channel: 'all', max: 3, windowMs: WEEK }];

function send(customerId: string, channel: 'email' | 'sms', over: Partial<SendMessageInput> = {}): SendMessageInput {
	const base = { idempotencyKey: `enr-${customerId}:${channel}:${randomUUID()}`, customerId, enrollmentId: `enr-${customerId}`, nodeId: channel, now: monday };
	return (
		channel === 'email' ? { ...base, channel, email: { subject: 'News', text: 'Hello' }, ...over } : { ...base, channel, sms: { body: 'Hello' }, ...over }
	) as SendMessageInput;
}

describe.each(dbKinds())('frequency caps across channels on %s', (kind) => {
	let h: DbHandle;
	let n = 0;
	/** A fresh customer with both addresses and an enrollment to send from. */
	async function customer(): Promise<string> {
		const id = `c${++n}-${randomUUID().slice(0, 8)}`;
		await seedCustomer(h.db, id, { email: `${id}@example.com`, phone: `+3361234${String(5000 + n).padStart(4, '0')}` });
		await seedEnrollment(h.db, `enr-${id}`, id);
		return id;
	}
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	it('skips the fourth marketing message of the week whatever its channel, and transactional ones pass', async () => {
		const id = await customer();
		const caps = { frequencyCaps: threeAWeek };
		expect(await sendMessage(h.db, providers, send(id, 'email', { ...caps, now: at(0) }))).toMatchObject({ outcome: 'sent' });
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(DAY) }))).toMatchObject({ outcome: 'sent' });
		expect(await sendMessage(h.db, providers, send(id, 'email', { ...caps, now: at(2 * DAY) }))).toMatchObject({ outcome: 'sent' });
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(3 * DAY) }))).toMatchObject({ outcome: 'skipped', reason: 'frequency_cap' });
		expect(await sendMessage(h.db, providers, send(id, 'email', { ...caps, now: at(3 * DAY) }))).toMatchObject({ outcome: 'skipped', reason: 'frequency_cap' });
		// Order ready: exempt, and not counted either.
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, purpose: 'transactional', now: at(3 * DAY) }))).toMatchObject({ outcome: 'sent' });
		// A week after the first, one place is free again.
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(WEEK + 1) }))).toMatchObject({ outcome: 'sent' });
		const counted = await h.db
			.select()
			.from(messages)
			.where(and(eq(messages.customerId, id), isNotNull(messages.countedAt)));
		expect(counted).toHaveLength(4);
	});

	it('counts messages from journeys without caps under the caps of another journey (counted as they go out)', async () => {
		const id = await customer();
		for (const [i, ch] of (['email', 'sms', 'email'] as const).entries()) {
			expect(await sendMessage(h.db, providers, send(id, ch, { now: at(i * DAY) }))).toMatchObject({ outcome: 'sent' });
		}
		const rows = await h.db.select().from(messages).where(eq(messages.customerId, id));
		expect(rows.map((r) => r.countedAt?.getTime()).sort()).toEqual([at(0), at(DAY), at(2 * DAY)].map((d) => d.getTime()));
		expect(await sendMessage(h.db, providers, send(id, 'sms', { frequencyCaps: threeAWeek, now: at(3 * DAY) }))).toMatchObject({
			outcome: 'skipped',
			reason: 'frequency_cap'
		});
		// Transactional messages are not counted even without caps.
		expect(await sendMessage(h.db, providers, send(id, 'sms', { purpose: 'transactional', now: at(3 * DAY) }))).toMatchObject({ outcome: 'sent' });
		const transactional = await h.db
			.select()
			.from(messages)
			.where(and(eq(messages.customerId, id), isNotNull(messages.countedAt)));
		expect(transactional).toHaveLength(3);
	});

	it('applies a per-channel cap beside the all-channels one', async () => {
		const id = await customer();
		const caps = { frequencyCaps: [...threeAWeek, { channel: 'sms' as const, max: 1, windowMs: DAY }] };
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(0) }))).toMatchObject({ outcome: 'sent' });
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(3600_000) }))).toMatchObject({ outcome: 'skipped', reason: 'frequency_cap' });
		expect(await sendMessage(h.db, providers, send(id, 'email', { ...caps, now: at(3600_000) }))).toMatchObject({ outcome: 'sent' });
		expect(await sendMessage(h.db, providers, send(id, 'sms', { ...caps, now: at(DAY + 1) }))).toMatchObject({ outcome: 'sent' });
	});

	it('holds a capped message until the cap allows it when the step says wait, then sends it once', async () => {
		const id = await customer();
		const caps = { frequencyCaps: threeAWeek };
		for (const [i, ch] of (['email', 'sms', 'email'] as const).entries()) await sendMessage(h.db, providers, send(id, ch, { ...caps, now: at(i * DAY) }));
		const input = send(id, 'sms', { ...caps, whenCapped: 'wait', now: at(3 * DAY) });
		const held = await sendMessage(h.db, providers, input);
		// The first message of the week leaves the window a week after it was sent.
		expect(held).toMatchObject({ outcome: 'held', reason: 'frequency_cap', until: at(WEEK) });
		const [row] = await h.db.select().from(messages).where(eq(messages.idempotencyKey, input.idempotencyKey));
		expect(row).toMatchObject({ status: 'pending', countedAt: null, lockedUntil: null });
		expect(await sendMessage(h.db, providers, { ...input, now: at(WEEK) })).toMatchObject({ outcome: 'sent', messageId: row!.id });
		expect(await sendMessage(h.db, providers, { ...input, now: at(WEEK) })).toMatchObject({ outcome: 'sent', replayed: true });
	});

	it('lets only the cap’s worth of concurrent sends through (two workers cannot both take the last place)', async () => {
		const id = await customer();
		const results = await Promise.all(
			Array.from({ length: 12 }, (_, i) => sendMessage(h.db, providers, send(id, i % 2 ? 'sms' : 'email', { frequencyCaps: threeAWeek, now: at(0) })))
		);
		expect(results.filter((r) => r.outcome === 'sent')).toHaveLength(3);
		expect(results.filter((r) => r.outcome === 'skipped' && r.reason === 'frequency_cap')).toHaveLength(9);
	});
});
