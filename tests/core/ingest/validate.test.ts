import { describe, expect, it } from 'vitest';
import { IngestValidationError } from '../../../core/ingest/errors';
import { identifiersOf } from '../../../core/ingest/identifiers';
import { toStorableJson } from '../../../core/ingest/json';
import { eventTime } from '../../../core/ingest/timestamp';
import { validateMessages } from '../../../core/ingest/validate';

function issuesOf(input: unknown): { path: string; message: string }[] {
	try {
		validateMessages(input);
	} catch (err) {
		if (err instanceof IngestValidationError) return err.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
		throw err;
	}
	return [];
}

describe('validateMessages', () => {
	it('accepts what analytics-node sends, dropping unknown top-level fields', () => {
		const [m] = validateMessages([
			{
				type: 'page',
				name: null,
				category: null,
				anonymousId: 'a1',
				messageId: 'node-next-1',
				timestamp: '2025-03-01T10:00:00.000Z',
				context: { library: { name: '@segment/analytics-node', version: '3.1.0' } },
				integrations: {},
				_metadata: { jsRuntime: 'node' }
			}
		]);
		expect(m).toMatchObject({ type: 'page', anonymousId: 'a1', context: { library: { name: '@segment/analytics-node' } } });
		expect(m).not.toHaveProperty('_metadata');
		expect((m as { timestamp: Date }).timestamp.toISOString()).toBe('2025-03-01T10:00:00.000Z');
	});
	it('reports every problem with the path of the field, prefixed by the message index', () => {
		expect(issuesOf([{ type: 'track', userId: 'u' }, { type: 'identify' }, { type: 'nope', userId: 'u' }])).toEqual([
			{ path: '0.event', message: expect.any(String) },
			{ path: '1.userId', message: 'Either userId or anonymousId is required' },
			{ path: '2.type', message: expect.any(String) }
		]);
	});
	it('checks the types of the fields ingest reads', () => {
		expect(issuesOf([{ type: 'track', userId: 'u', event: 'x', properties: [1], context: { campaign: { gclid: 7 } } }]).map((i) => i.path)).toEqual([
			'0.context.campaign.gclid',
			'0.properties'
		]);
		expect(issuesOf([{ type: 'track', userId: 'u', event: 'x', timestamp: 'yesterday' }]).map((i) => i.path)).toEqual(['0.timestamp']);
		expect(issuesOf([{ type: 'track', userId: 'u', event: 'x', timestamp: '0001-01-01T00:00:00Z' }]).map((i) => i.path)).toEqual(['0.timestamp']);
	});
	it('treats blank ids as missing and numeric ids as strings', () => {
		expect(issuesOf([{ type: 'track', userId: '  ', event: 'x' }]).map((i) => i.path)).toEqual(['0.userId']);
		expect(validateMessages([{ type: 'track', userId: 42, event: 'x' }])[0]).toMatchObject({ userId: '42' });
	});
	it('alias needs both ids, group a groupId', () => {
		expect(
			issuesOf([
				{ type: 'alias', userId: 'u' },
				{ type: 'group', userId: 'u' }
			]).map((i) => i.path)
		).toEqual(['0.previousId', '1.groupId']);
	});
	it('refuses a non-array', () => {
		expect(issuesOf({ type: 'track' })).toEqual([{ path: '', message: 'Expected an array of messages' }]);
	});
});

describe('toStorableJson', () => {
	it('replaces what PostgreSQL cannot store (NUL, lone surrogates) and drops __proto__', () => {
		const input = JSON.parse('{"a\\u0000":"x\\u0000y","s":"\\ud800","ok":"\\ud83d\\ude00","__proto__":{"polluted":true}}') as unknown;
		const { value, issues } = toStorableJson(input);
		expect(issues).toEqual([]);
		expect(value).toEqual({ 'a\ufffd': 'x\ufffdy', s: '\ufffd', ok: '😀' });
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
	it('follows JSON.stringify for NaN and undefined, and converts Dates', () => {
		expect(toStorableJson({ n: Number.NaN, u: undefined, l: [undefined], d: new Date(0) }).value).toEqual({
			n: null,
			l: [null],
			d: '1970-01-01T00:00:00.000Z'
		});
	});
	it('refuses non-JSON values and deep nesting, with their paths', () => {
		let deep: unknown = 1;
		for (let i = 0; i < 40; i++) deep = [deep];
		expect(toStorableJson({ b: 1n, f: () => 1, m: new Map(), deep }).issues.map((i) => i.path.join('.'))).toEqual([
			'b',
			'f',
			'm',
			`deep${'.0'.repeat(31)}` // the root object is the first of 32 levels
		]);
	});
});

describe('eventTime', () => {
	const receivedAt = new Date('2025-03-01T12:00:00.000Z');
	it('keeps the client time when its clock is right', () => {
		const t = new Date('2025-03-01T11:00:00.000Z');
		expect(eventTime({ timestamp: t, sentAt: new Date('2025-03-01T11:59:59.500Z') }, receivedAt)).toEqual(t);
	});
	it('corrects a device clock that is off (receivedAt - (sentAt - timestamp))', () => {
		const t = eventTime({ timestamp: new Date('2025-03-01T13:00:00.000Z'), sentAt: new Date('2025-03-01T14:00:00.000Z') }, receivedAt);
		expect(t.toISOString()).toBe('2025-03-01T11:00:00.000Z');
	});
	it('is receivedAt without a client time or when in the future', () => {
		expect(eventTime({}, receivedAt)).toEqual(receivedAt);
		expect(eventTime({ timestamp: new Date('2030-01-01T00:00:00Z') }, receivedAt)).toEqual(receivedAt);
		expect(eventTime({ originalTimestamp: new Date('2025-01-01T00:00:00Z') }, receivedAt).toISOString()).toBe('2025-01-01T00:00:00.000Z');
	});
});

describe('identifiersOf', () => {
	it('collects every identifier, normalized', () => {
		const [m] = validateMessages([
			{
				type: 'identify',
				userId: 'u-1',
				anonymousId: 'a-1',
				traits: { email: 'Ada@Example.com', phone: '06 12 34 56 78', address: { country: 'fr' }, loyaltyId: 'L-9' },
				context: { campaign: { fbclid: 'FB-1' }, page: { url: 'https://shop.test/p?gclid=G-1&x=1' } }
			}
		]);
		expect(
			identifiersOf(m!)
				.map((i) => `${i.kind}:${i.value}`)
				.sort()
		).toEqual(['anonymousId:a-1', 'email:ada@example.com', 'fbclid:FB-1', 'gclid:G-1', 'loyaltyId:L-9', 'phone:+33612345678', 'userId:u-1']);
	});
	it('reads context.traits on any call, and ignores group traits (they describe the group)', () => {
		const [track, group] = validateMessages([
			{ type: 'track', anonymousId: 'a', event: 'x', context: { traits: { email: 'b@c.de' }, locale: 'en-GB' } },
			{ type: 'group', anonymousId: 'a', groupId: 'g', traits: { email: 'company@c.de' } }
		]);
		expect(identifiersOf(track!).map((i) => i.kind)).toEqual(['anonymousId', 'email']);
		expect(identifiersOf(group!).map((i) => i.kind)).toEqual(['anonymousId']);
	});
	it('finds click ids in page properties and skips invalid identifiers', () => {
		const [m] = validateMessages([
			{ type: 'page', anonymousId: 'a', properties: { url: 'https://x.test/?fbclid=F' }, context: { traits: { email: 'nope', phone: '12' } } }
		]);
		expect(identifiersOf(m!).map((i) => `${i.kind}:${i.value}`)).toEqual(['anonymousId:a', 'fbclid:F']);
	});
});
