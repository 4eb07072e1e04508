import { createHmac } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { twilioInboundResponse } from '../../../core/channels/webhooks/http';
import { handleInboundSms } from '../../../core/channels/webhooks/twilio';
import type { DbHandle } from '../../../core/db/client';
import { customers, suppressions } from '../../../core/db/schema/customers';
import { smsKeywords } from '../../../core/db/schema/inbound';
import { dbKinds, freshDb } from '../../helpers/db';
import { seedCustomer } from './fixtures';

// Exploit from the 2026-11-30 review: Twilio signs an inbound webhook over its URL and parameters only, with no
// timestamp, so a captured STOP stays validly signed forever. Replayed after the customer texted START, it opted
// them out again. Each keyword now applies once per MessageSid, and never over a later keyword for the number.
const AUTH_TOKEN = 'twilio-auth-token';
const URL_ = 'https://omnicanal.example.test/api/v1/webhooks/twilio/inbound';

function signedInbound(params: Record<string, string>): Request {
	const data =
		URL_ +
		Object.keys(params)
			.sort()
			.map((k) => k + params[k])
			.join('');
	const signature = createHmac('sha1', AUTH_TOKEN).update(data).digest('base64');
	return new Request(URL_, {
		method: 'POST',
		body: new URLSearchParams(params).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature }
	});
}

describe.each(dbKinds())('Twilio STOP/START replays on %s', (kind) => {
	let h: DbHandle;
	const suppressed = async (phone: string) =>
		(
			await h.db
				.select()
				.from(suppressions)
				.where(and(eq(suppressions.channel, 'sms'), eq(suppressions.value, phone)))
		).length > 0;
	const smsConsent = async (id: string) => (await h.db.select({ c: customers.consent }).from(customers).where(eq(customers.id, id)))[0]?.c?.sms;

	beforeAll(async () => {
		h = await freshDb(kind);
		await seedCustomer(h.db, 'eve', { phone: '+33611111111' });
		await seedCustomer(h.db, 'fay', { phone: '+33622222222' });
	});
	afterAll(() => h.close());

	it('ignores a replayed, validly signed STOP after a later START (through the webhook endpoint)', async () => {
		const at = (minute: number) => () => new Date(Date.UTC(2026, 10, 30, 12, minute));
		const stop = { From: '+33611111111', To: '+14155552671', Body: 'STOP', MessageSid: 'SMstop0000000000000000000000000001' };
		const start = { From: '+33611111111', To: '+14155552671', Body: 'START', MessageSid: 'SMstart000000000000000000000000001' };
		const deps = (now: () => Date) => ({ db: h.db, authToken: AUTH_TOKEN, publicUrl: undefined, now });

		expect((await twilioInboundResponse(signedInbound(stop), deps(at(0)))).response.status).toBe(200);
		expect(await suppressed('+33611111111')).toBe(true);
		expect(await twilioInboundResponse(signedInbound(start), deps(at(5)))).toMatchObject({ response: { status: 200 } });
		expect(await suppressed('+33611111111')).toBe(false);

		// The attacker replays the captured STOP an hour later: same SID, same valid signature.
		const replay = await twilioInboundResponse(signedInbound(stop), deps(at(59)));
		expect(replay.response.status).toBe(200);
		expect(replay.eventIds).toEqual([]);
		expect(await suppressed('+33611111111')).toBe(false);
		expect(await smsConsent('eve')).toMatchObject({ granted: true, source: 'sms_start' });
		// A replayed START after a later STOP is just as harmless.
		await handleInboundSms(h.db, { ...stop, MessageSid: 'SMstop0000000000000000000000000002' }, { helpText: '', now: at(70)() });
		expect(await handleInboundSms(h.db, start, { helpText: '', now: at(80)() })).toMatchObject({ optOut: 'replayed' });
		expect(await suppressed('+33611111111')).toBe(true);
		expect(await smsConsent('eve')).toMatchObject({ granted: false });
	});

	it('lets the later of two keywords win whatever order they arrive in, and keeps no number in clear', async () => {
		const t = (minute: number) => new Date(Date.UTC(2026, 10, 30, 13, minute));
		const start = await handleInboundSms(h.db, { From: '+33622222222', Body: 'START', MessageSid: 'SMlateStart' }, { helpText: '', now: t(10) });
		expect(start.optOut).toBe('applied');
		// A STOP sent before that START but delivered after it.
		const stop = await handleInboundSms(h.db, { From: '+33622222222', Body: 'STOP', MessageSid: 'SMearlyStop' }, { helpText: '', now: t(5) });
		expect(stop.optOut).toBe('superseded');
		expect(await suppressed('+33622222222')).toBe(false);
		expect(await smsConsent('fay')).toMatchObject({ granted: true });

		const rows = await h.db.select().from(smsKeywords);
		expect(JSON.stringify(rows)).not.toMatch(/3362222|3361111/);
	});
});
