import { describe, expect, it } from 'vitest';
import { httpError, networkError, PermanentChannelError, scrubPii, TransientChannelError } from '../../../core/channels/errors';

// Finding from the 2026-11-30 review: providers echo the recipient in their error texts, which we stored in
// messages.error, the step log's reason and Temporal's history (shown to every role, kept after erasure).
describe('provider error texts carry no address', () => {
	it("scrubs Twilio's and SendGrid's echoed recipients from the message and the detail", () => {
		const twilio = httpError('twilio', 400, "The 'To' number +33 6 12 34 56 78 is not a valid phone number.", { code: 21211, to: '+33612345678' });
		expect(twilio).toBeInstanceOf(PermanentChannelError);
		expect(twilio.message).toBe("twilio answered 400: The 'To' number [phone] is not a valid phone number.");
		expect(twilio.info.detail).toEqual({ code: 21211, to: '[phone]' });

		const sendgrid = httpError('sendgrid', 400, 'Does not contain a valid address.', {
			errors: [{ message: 'Invalid recipient chloé.dubois+promo@exemple.fr', field: 'personalizations.0.to.0.email' }]
		});
		expect(JSON.stringify(sendgrid.info.detail)).not.toContain('@');
		expect(JSON.stringify(sendgrid.info.detail)).toContain('[email]');

		const transient = new TransientChannelError('twilio: queue full for (415) 555-2671', { provider: 'twilio', code: 'http_503' });
		expect(transient.message).toBe('twilio: queue full for [phone]');
	});

	it('scrubs network errors too (their text may name the address a webhook step called)', () => {
		const err = networkError('webhook', Object.assign(new Error('connect ECONNREFUSED for ada@example.com'), { code: 'ECONNREFUSED' }));
		expect(err?.message).toBe('webhook unreachable: connect ECONNREFUSED for [email]');
	});

	it('keeps what is not personal: codes, statuses, SIDs, dates, URLs', () => {
		const text = 'twilio_21610 (HTTP 400) SM0123456789abcdef0123456789abcdef at 2026-11-30T12:00:00.000Z, see https://www.twilio.com/docs/errors/21610';
		expect(scrubPii(text)).toBe(text);
		expect(scrubPii('tel 0612345678, mail a.b@c.io')).toBe('tel [phone], mail [email]');
	});
});
