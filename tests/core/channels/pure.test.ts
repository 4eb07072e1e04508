import { createHash, createHmac, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { googleEmailHash, googlePhoneHash, metaEmailHash, metaPhoneHash } from '../../../core/channels/ads/hash';
import { renderTemplate, type TemplateContext } from '../../../core/channels/template';
import { smsSegments } from '../../../core/channels/sms-parts';
import { readUnsubscribeToken, unsubscribeToken } from '../../../core/channels/unsubscribe';
import { signWebhook, verifyWebhookSignature } from '../../../core/channels/webhook';
import { verifySendGridSignature } from '../../../core/channels/webhooks/sendgrid';
import { smsKeyword, twimlReply, verifyTwilioSignature } from '../../../core/channels/webhooks/twilio';

describe('SMS segments', () => {
	it('counts GSM-7 septets: 160 in one part, 153 per part beyond', () => {
		expect(smsSegments('a'.repeat(160))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsSegments('a'.repeat(161))).toEqual({ encoding: 'GSM-7', units: 161, segments: 2 });
		expect(smsSegments('a'.repeat(306)).segments).toBe(2);
		expect(smsSegments('a'.repeat(307)).segments).toBe(3);
	});

	it('counts extension characters twice and keeps accented GSM letters in GSM-7', () => {
		expect(smsSegments('€'.repeat(80))).toEqual({ encoding: 'GSM-7', units: 160, segments: 1 });
		expect(smsSegments('{'.repeat(81)).segments).toBe(2);
		expect(smsSegments('Café à Noël? é è ù').encoding).toBe('UCS-2'); // ë is not in GSM-7
		expect(smsSegments('Café à Noel, é è ù ñ').encoding).toBe('GSM-7');
	});

	it('switches to UCS-2 for any other character: 70 units in one part, 67 per part beyond', () => {
		expect(smsSegments('ć'.repeat(70))).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
		expect(smsSegments('ć'.repeat(71))).toEqual({ encoding: 'UCS-2', units: 71, segments: 2 });
		expect(smsSegments(`${'a'.repeat(68)}😀`)).toEqual({ encoding: 'UCS-2', units: 70, segments: 1 });
		expect(smsSegments(`${'a'.repeat(134)}😀`).segments).toBe(3);
	});
});

describe('unsubscribe tokens', () => {
	it('round-trips a claim and refuses tampering or another secret', () => {
		const token = unsubscribeToken('s1', { customerId: 'c-1', channel: 'email', messageId: 'm-1' });
		expect(readUnsubscribeToken('s1', token)).toEqual({ customerId: 'c-1', channel: 'email', messageId: 'm-1' });
		expect(readUnsubscribeToken('s2', token)).toBeNull();
		const [payload, sig] = token.split('.');
		const forged = Buffer.from(JSON.stringify({ c: 'someone-else', ch: 'email' })).toString('base64url');
		expect(readUnsubscribeToken('s1', `${forged}.${sig}`)).toBeNull();
		expect(readUnsubscribeToken('s1', `${payload}`)).toBeNull();
		expect(readUnsubscribeToken('s1', 'garbage')).toBeNull();
	});
});

describe('Liquid templates', () => {
	const context: TemplateContext = {
		customer: { id: 'c-1', first_name: '<b>Ada</b>' },
		event: { product: 'Red shoes' },
		offer: {
			code: 'SPRING-7KQ4-M2XD',
			title: 'Spring',
			kind: 'percent',
			value: 20,
			currency: null,
			display: '20%',
			expiresAt: '2026-03-08T10:00:00.000Z',
			qrUrl: 'https://x/qr.png'
		},
		links: { unsubscribe: 'https://x/unsubscribe/t' }
	};

	it('escapes variables in HTML, not in text', async () => {
		expect(await renderTemplate('<p>Hi {{ customer.first_name }}, {{ offer.display }} with {{ offer.code }}</p>', context, 'html')).toBe(
			'<p>Hi &lt;b&gt;Ada&lt;/b&gt;, 20% with SPRING-7KQ4-M2XD</p>'
		);
		expect(await renderTemplate('Hi {{ customer.first_name | default: "there" }} - {{ event.product }}', context, 'text')).toBe('Hi <b>Ada</b> - Red shoes');
	});

	it('turns template mistakes into permanent errors', async () => {
		await expect(renderTemplate('{{ customer.first_name | nosuchfilter }}', context, 'text')).rejects.toMatchObject({
			name: 'PermanentChannelError',
			info: { code: 'template_error' }
		});
		await expect(renderTemplate('{% if %}', context, 'text')).rejects.toMatchObject({ name: 'PermanentChannelError' });
	});
});

describe('ad identifier hashing', () => {
	it('hashes normalized identifiers the way each network asks', () => {
		expect(metaEmailHash(' Test@Example.com ')).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b');
		expect(googleEmailHash('test@example.com')).toBe('973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b');
		expect(metaPhoneHash('+33612345678')).toBe('8a3e7886c9335e82e02299fa3e87b46e2de3b0c63d56003e30a5029394a47661');
		expect(googlePhoneHash('+33612345678')).toBe('42d573cfc315801d4cd8eddd5416b416a0bf298b9b9e12d6b07442c91db42bd8');
	});
});

describe('webhook signatures', () => {
	it('signs our outgoing webhooks as t=…,v1=HMAC(t.body) and checks freshness', () => {
		const header = signWebhook('whsec', '{"a":1}', 1_700_000_000);
		expect(header).toBe(`t=1700000000,v1=${createHmac('sha256', 'whsec').update('1700000000.{"a":1}').digest('hex')}`);
		expect(verifyWebhookSignature('whsec', '{"a":1}', header, 1_700_000_100)).toBe(true);
		expect(verifyWebhookSignature('whsec', '{"a":2}', header, 1_700_000_100)).toBe(false);
		expect(verifyWebhookSignature('whsec', '{"a":1}', header, 1_700_001_000)).toBe(false);
	});

	it("verifies SendGrid's ECDSA P-256 signature over timestamp + raw body", () => {
		const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
		const publicB64 = publicKey.export({ format: 'der', type: 'spki' }).toString('base64');
		const body = '[{"event":"delivered","sg_event_id":"e1"}]\r\n';
		const timestamp = '1700000000';
		const signature = sign('sha256', Buffer.from(timestamp + body), privateKey).toString('base64');
		expect(verifySendGridSignature({ publicKey: publicB64, rawBody: body, signature, timestamp })).toBe(true);
		expect(verifySendGridSignature({ publicKey: publicKey.export({ format: 'pem', type: 'spki' }).toString(), rawBody: body, signature, timestamp })).toBe(
			true
		);
		expect(verifySendGridSignature({ publicKey: publicB64, rawBody: body.replace('e1', 'e2'), signature, timestamp })).toBe(false);
		expect(verifySendGridSignature({ publicKey: publicB64, rawBody: body, signature, timestamp: '1700000001' })).toBe(false);
		expect(verifySendGridSignature({ publicKey: 'not a key', rawBody: body, signature, timestamp })).toBe(false);
	});

	it("verifies Twilio's HMAC-SHA1 over the URL and sorted parameters", () => {
		const url = 'https://shop.example.test/api/v1/webhooks/twilio/status?m=msg-1';
		const params = { MessageStatus: 'delivered', MessageSid: 'SM123', AccountSid: 'AC1' };
		const data =
			url +
			Object.keys(params)
				.sort()
				.map((k) => k + params[k as keyof typeof params])
				.join('');
		const signature = createHmac('sha1', 'auth-token').update(data).digest('base64');
		expect(verifyTwilioSignature({ authToken: 'auth-token', signature, url, params })).toBe(true);
		expect(verifyTwilioSignature({ authToken: 'other', signature, url, params })).toBe(false);
		expect(verifyTwilioSignature({ authToken: 'auth-token', signature, url: url.replace('msg-1', 'msg-2'), params })).toBe(false);
		expect(verifyTwilioSignature({ authToken: 'auth-token', signature, url, params: { ...params, MessageStatus: 'failed' } })).toBe(false);
	});
});

describe('SMS keywords', () => {
	it('recognizes STOP, START and HELP and their synonyms, not words inside sentences', () => {
		for (const w of ['STOP', 'stop', ' Stop. ', 'STOPALL', 'unsubscribe', 'Cancel', 'END', 'quit']) expect(smsKeyword(w)).toBe('stop');
		for (const w of ['START', 'unstop', 'Yes']) expect(smsKeyword(w)).toBe('start');
		expect(smsKeyword('help')).toBe('help');
		expect(smsKeyword('please stop sending')).toBeNull();
		expect(smsKeyword('')).toBeNull();
	});

	it('answers HELP with TwiML and STOP with an empty response', () => {
		expect(twimlReply('Omnicanal: reply STOP to opt out & <more>')).toBe(
			'<?xml version="1.0" encoding="UTF-8"?><Response><Message>Omnicanal: reply STOP to opt out &amp; &lt;more&gt;</Message></Response>'
		);
		expect(twimlReply(null)).toBe('<?xml version="1.0" encoding="UTF-8"?><Response/>');
	});
});

// Keep the hash helper honest against an independent implementation too.
it('sha256 helper agrees with node:crypto', () => {
	expect(metaEmailHash('a@b.co')).toBe(createHash('sha256').update('a@b.co').digest('hex'));
});
