import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyUnsubscribe } from '../../../core/channels/opt-out';
import { outboxAudience } from '../../../core/channels/outbox';
import { sendMessage, type SendMessageInput } from '../../../core/channels/send';
import type { EmailProvider, Providers, SmsProvider } from '../../../core/channels/types';
import { readUnsubscribeToken } from '../../../core/channels/unsubscribe';
import { recordSendGridEvents, SendGridEvents } from '../../../core/channels/webhooks/sendgrid';
import { handleInboundSms, recordTwilioStatus } from '../../../core/channels/webhooks/twilio';
import type { DbHandle } from '../../../core/db/client';
import { customers, suppressions } from '../../../core/db/schema/customers';
import { events } from '../../../core/db/schema/events';
import { messageEvents, messages } from '../../../core/db/schema/messages';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer, settings } from './fixtures';

const now = new Date('2026-03-01T10:00:00Z');
let counter = 0;
const email: EmailProvider = { channel: 'email', name: 'sendgrid', send: async () => ({ providerMessageId: `sg-${++counter}`, status: 'sent' }) };
const sms: SmsProvider = { channel: 'sms', name: 'twilio', send: async () => ({ providerMessageId: `SM${++counter}`, status: 'queued' }) };
const providers: Providers = { email, sms, audiences: { meta: outboxAudience, google: outboxAudience }, settings };

const mail = (customerId: string): SendMessageInput => ({
	idempotencyKey: randomUUID(),
	channel: 'email',
	customerId,
	email: { subject: 'Hi', text: 'Hello' },
	now
});
const text = (customerId: string): SendMessageInput => ({ idempotencyKey: randomUUID(), channel: 'sms', customerId, sms: { body: 'Hello' }, now });

describe.each(dbKinds())('provider webhooks on %s', (kind) => {
	let h: DbHandle;
	const statusOf = async (id: string) => (await h.db.select({ s: messages.status }).from(messages).where(eq(messages.id, id)))[0]?.s;
	const suppressed = async (channel: 'email' | 'sms', value: string) =>
		(
			await h.db
				.select()
				.from(suppressions)
				.where(and(eq(suppressions.channel, channel), eq(suppressions.value, value)))
		)[0]?.reason;
	const consentOf = async (id: string) => (await h.db.select({ c: customers.consent }).from(customers).where(eq(customers.id, id)))[0]?.c;

	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'ada', { email: 'ada@example.com' });
		await seedCustomer(h.db, 'bob', { email: 'bob@example.com' });
		await seedCustomer(h.db, 'cy', { email: 'cy@example.com' });
		await seedCustomer(h.db, 'dee', { phone: '+33612345678' });
	});
	afterAll(() => h.close());

	it('moves e-mail status forward only, dedupes on sg_event_id, and matches by custom arg or X-Message-Id', async () => {
		const sent = await sendMessage(h.db, providers, mail('ada'));
		const [row] = await h.db.select().from(messages).where(eq(messages.id, sent.messageId));
		const base = { email: 'ada@example.com', sg_message_id: `${row!.providerMessageId}.filter0001.1`, timestamp: 1772359300 };
		const batch = SendGridEvents.parse([
			{ ...base, event: 'processed', sg_event_id: 'e1', omnicanal_message_id: sent.messageId },
			{ ...base, event: 'delivered', sg_event_id: 'e2', omnicanal_message_id: sent.messageId },
			{ ...base, event: 'open', sg_event_id: 'e3' }, // no custom arg: found by X-Message-Id
			{ ...base, event: 'open', sg_event_id: 'e3' },
			{ ...base, event: 'delivered', sg_event_id: 'e4', omnicanal_message_id: sent.messageId }, // late
			{ ...base, event: 'group_resubscribe', sg_event_id: 'e5' },
			{ email: 'x@example.com', event: 'delivered', sg_event_id: 'e6', sg_message_id: 'unknown.filter' }
		]);
		expect(await recordSendGridEvents(h.db, batch, now)).toEqual({ recorded: 4, duplicates: 1, unmatched: 1, ignored: 1 });
		expect(await statusOf(sent.messageId)).toBe('opened');
		expect(await recordSendGridEvents(h.db, batch, now)).toEqual({ recorded: 0, duplicates: 5, unmatched: 1, ignored: 1 });
		const recorded = await h.db.select().from(messageEvents).where(eq(messageEvents.messageId, sent.messageId));
		expect(recorded.map((e) => e.status).sort()).toEqual(['delivered', 'delivered', 'opened', 'queued']);
		expect(recorded.find((e) => e.providerEventId === 'e3')!.at).toEqual(new Date(1772359300 * 1000));
	});

	it('suppresses bounces, spam reports and unsubscribes (and turns e-mail consent off), so the next send is skipped', async () => {
		const toBob = await sendMessage(h.db, providers, mail('bob'));
		const toCy = await sendMessage(h.db, providers, mail('cy'));
		await recordSendGridEvents(
			h.db,
			SendGridEvents.parse([
				{ event: 'bounce', type: 'bounce', email: 'Bob@Example.com', sg_event_id: 'b1', omnicanal_message_id: toBob.messageId },
				{ event: 'spamreport', email: 'cy@example.com', sg_event_id: 'c1', omnicanal_message_id: toCy.messageId },
				{ event: 'bounce', type: 'blocked', email: 'ada@example.com', sg_event_id: 'a1' }
			]),
			now
		);
		expect(await statusOf(toBob.messageId)).toBe('bounced');
		expect(await statusOf(toCy.messageId)).toBe('spam');
		expect(await suppressed('email', 'bob@example.com')).toBe('bounce');
		expect(await suppressed('email', 'cy@example.com')).toBe('spamreport');
		expect(await suppressed('email', 'ada@example.com')).toBeUndefined(); // a block is temporary
		expect((await consentOf('cy'))?.email).toMatchObject({ granted: false, source: 'sendgrid_spamreport' });
		expect(await sendMessage(h.db, providers, mail('bob'))).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });
		expect(await sendMessage(h.db, providers, mail('cy'))).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
	});

	it('applies an unsubscribe link: consent off, address suppressed, message marked, idempotently', async () => {
		const sent = await sendMessage(h.db, providers, mail('ada'));
		const [row] = await h.db.select().from(messages).where(eq(messages.id, sent.messageId));
		const token = /\/unsubscribe\/(\S+)$/.exec(row!.body)![1]!;
		const claim = readUnsubscribeToken(settings.appSecret, token)!;
		expect(await applyUnsubscribe(h.db, claim, now)).toEqual({ address: 'ada@example.com' });
		expect(await applyUnsubscribe(h.db, claim, now)).toEqual({ address: 'ada@example.com' });
		expect(await statusOf(sent.messageId)).toBe('unsubscribed');
		expect(await suppressed('email', 'ada@example.com')).toBe('unsubscribe');
		expect((await consentOf('ada'))?.email).toMatchObject({ granted: false, source: 'unsubscribe_link' });
		expect(
			await h.db
				.select()
				.from(messageEvents)
				.where(eq(messageEvents.providerEventId, `unsubscribe:${sent.messageId}`))
		).toHaveLength(1);
	});

	it('records Twilio status callbacks by our id or by SID, forward only and once each', async () => {
		const sent = await sendMessage(h.db, providers, text('dee'));
		expect(sent).toMatchObject({ outcome: 'sent', status: 'queued' });
		const sid = sent.outcome === 'sent' ? sent.providerMessageId! : '';
		expect(await recordTwilioStatus(h.db, { MessageSid: sid, MessageStatus: 'sent' }, sent.messageId, now)).toBe('recorded');
		expect(await recordTwilioStatus(h.db, { MessageSid: sid, MessageStatus: 'delivered' }, null, now)).toBe('recorded');
		expect(await recordTwilioStatus(h.db, { MessageSid: sid, MessageStatus: 'delivered' }, null, now)).toBe('duplicate');
		expect(await recordTwilioStatus(h.db, { MessageSid: sid, MessageStatus: 'sent' }, sent.messageId, now)).toBe('duplicate');
		expect(await recordTwilioStatus(h.db, { MessageSid: 'SMunknown', MessageStatus: 'sent' }, null, now)).toBe('unmatched');
		expect(await recordTwilioStatus(h.db, { MessageSid: sid, MessageStatus: 'weird' }, null, now)).toBe('ignored');
		expect(await statusOf(sent.messageId)).toBe('delivered');
	});

	it('handles STOP and START by text: suppression and SMS consent follow, HELP gets an answer', async () => {
		const stop = await handleInboundSms(h.db, { From: '+33612345678', To: '+14155552671', Body: ' Stop ', MessageSid: 'SMin1' }, { helpText: 'help!', now });
		expect(stop).toMatchObject({ keyword: 'stop', customerId: 'dee', reply: null });
		expect(await suppressed('sms', '+33612345678')).toBe('sms_stop');
		expect((await consentOf('dee'))?.sms).toMatchObject({ granted: false, source: 'sms_stop' });
		expect(await sendMessage(h.db, providers, text('dee'))).toMatchObject({ outcome: 'skipped', reason: 'no_consent' });
		expect(await sendMessage(h.db, providers, { ...text('dee'), purpose: 'transactional' })).toMatchObject({ outcome: 'skipped', reason: 'suppressed' });

		expect(await handleInboundSms(h.db, { From: '+33612345678', Body: 'UNSTOP', MessageSid: 'SMin2' }, { helpText: 'help!', now })).toMatchObject({
			keyword: 'start'
		});
		expect(await suppressed('sms', '+33612345678')).toBeUndefined();
		expect((await consentOf('dee'))?.sms).toMatchObject({ granted: true, source: 'sms_start' });
		expect(await sendMessage(h.db, providers, text('dee'))).toMatchObject({ outcome: 'sent' });

		expect(await handleInboundSms(h.db, { From: '+33612345678', Body: 'help', MessageSid: 'SMin3' }, { helpText: 'help!', now })).toMatchObject({
			keyword: 'help',
			reply: 'help!'
		});
		const unknown = await handleInboundSms(h.db, { From: '+33699999999', Body: 'STOP', MessageSid: 'SMin4' }, { helpText: 'help!', now });
		expect(unknown).toMatchObject({ customerId: null, eventIds: [] });
		expect(await suppressed('sms', '+33699999999')).toBe('sms_stop');

		const received = await h.db.select().from(events).where(eq(events.name, 'sms_received'));
		expect(received.map((e) => e.properties.keyword)).toEqual(['stop', 'start', 'help']);
		expect(received[0]).toMatchObject({ customerId: 'dee', messageId: 'twilio:SMin1', type: 'track' });
		const again = await handleInboundSms(h.db, { From: '+33612345678', Body: 'help', MessageSid: 'SMin3' }, { helpText: 'help!', now });
		expect(again.eventIds).toEqual([]);
	});
});
