import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { IngestValidationError, ingestMessages } from '../../../core/ingest/index';
import { createSegment } from '../../../core/segments/index';
import { dbKinds, freshDb } from '../../helpers/db';
import { tableCounts } from './fixtures';

/*
 * Hostile and sloppy payloads: wrong types, lone surrogates and NUL, Maps and bigints, dates out of range, huge
 * order totals, deep nesting. Whatever arrives, ingest either stores the batch or refuses it with an
 * IngestValidationError, and a refusal writes nothing. Segments are defined so that their SQL also runs on the
 * fuzzed traits and properties.
 */

const weirdString = fc.oneof(
	fc.string({ unit: 'binary', maxLength: 20 }),
	fc.constantFrom('', ' ', '\u0000', '\ud800', 'a\udc00b', '1e999999', '-0', 'NaN', '2024-02-30T00:00:00Z', 'x'.repeat(600), '__proto__')
);
const anyValue = fc.anything({
	maxDepth: 3,
	withBigInt: true,
	withDate: true,
	withMap: true,
	withSet: true,
	withNullPrototype: true,
	withSparseArray: true,
	withBoxedValues: true,
	stringUnit: 'binary'
});
const scalar = fc.oneof(weirdString, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(undefined));
const isoish = fc.oneof(
	fc.date({ noInvalidDate: false }).map((d) => (Number.isNaN(d.getTime()) ? 'Invalid' : d.toISOString())),
	weirdString,
	fc.integer()
);
const bag = fc.oneof(
	fc.dictionary(
		fc.oneof(weirdString, fc.constantFrom('email', 'phone', 'total', 'revenue', 'timezone', 'consent', 'channel', 'age', 'tags')),
		fc.oneof(scalar, anyValue),
		{ maxKeys: 6 }
	),
	anyValue
);
const deep = fc.integer({ min: 30, max: 40 }).map((n) => {
	let v: unknown = 'leaf';
	for (let i = 0; i < n; i++) v = { v };
	return v;
});

const message = fc.record(
	{
		type: fc.constantFrom('identify', 'track', 'page', 'screen', 'alias', 'group', 'nope', 7),
		messageId: fc.oneof(weirdString, fc.constantFrom('dup-1', 'dup-2')),
		userId: scalar,
		anonymousId: fc.oneof(scalar, fc.constantFrom('anon-1', 'anon-2')),
		previousId: scalar,
		groupId: scalar,
		event: fc.oneof(weirdString, fc.constantFrom('order_completed', 'consent_granted', 'product_viewed')),
		name: scalar,
		timestamp: isoish,
		sentAt: isoish,
		traits: fc.oneof(bag, fc.record({ email: scalar, phone: scalar, consent: bag, timezone: scalar, age: scalar })),
		properties: fc.oneof(bag, fc.record({ total: fc.oneof(fc.double(), fc.integer(), weirdString), product_id: scalar, channel: scalar })),
		context: fc.oneof(bag, deep, fc.record({ campaign: bag, page: bag, traits: bag, timezone: scalar, locale: scalar }))
	},
	{ requiredKeys: [] }
);
/** Valid envelopes whose free-form parts (traits, properties, context) carry the weird values into the database. */
const jsonish = fc.anything({ maxDepth: 3, withNullPrototype: true, withSparseArray: true, stringUnit: 'binary' });
const freeForm = fc.dictionary(
	fc.oneof(weirdString, fc.constantFrom('email', 'phone', 'total', 'revenue', 'timezone', 'consent', 'age', 'tags')),
	fc.oneof(scalar, jsonish),
	{ maxKeys: 6 }
);
const validMessage = fc.record(
	{
		type: fc.constantFrom('identify', 'track', 'page', 'screen', 'alias', 'group'),
		messageId: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }), fc.constantFrom('dup-1', 'dup-2')),
		anonymousId: fc.oneof(fc.constantFrom('anon-1', 'anon-2'), fc.string({ unit: 'binary', minLength: 1, maxLength: 20 })),
		userId: fc.oneof(fc.constantFrom('u-1', 'u-2'), fc.integer()),
		previousId: fc.constantFrom('anon-1', 'u-2'),
		groupId: fc.constant('g-1'),
		event: fc.oneof(
			fc.constantFrom('order_completed', 'Order Completed', 'consent_granted', 'consent_revoked'),
			fc.string({ unit: 'binary', minLength: 1, maxLength: 30 })
		),
		timestamp: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString()),
		traits: fc.oneof(freeForm, fc.record({ email: scalar, phone: scalar, consent: freeForm, timezone: scalar, age: scalar, tags: jsonish })),
		properties: fc.oneof(
			freeForm,
			fc.record({ total: fc.oneof(fc.double(), fc.integer(), weirdString), channel: fc.constantFrom('email', 'sms', 'x'), product_id: scalar })
		),
		context: fc.record(
			{ campaign: fc.record({ gclid: weirdString, fbclid: weirdString }), timezone: weirdString, locale: weirdString, traits: freeForm, extra: jsonish },
			{ requiredKeys: [] }
		)
	},
	{ requiredKeys: ['type', 'messageId', 'anonymousId', 'userId', 'previousId', 'groupId', 'event'] }
);
const batch = fc.array(fc.oneof({ weight: 8, arbitrary: validMessage }, { weight: 1, arbitrary: message }, { weight: 1, arbitrary: anyValue }), {
	minLength: 1,
	maxLength: 3
});

for (const kind of dbKinds()) {
	describe(`ingest under hostile payloads (${kind})`, () => {
		let h: DbHandle;
		beforeAll(async () => {
			h = await freshDb(kind);
			await createSegment(h.db, { name: 'adults', definition: { conditions: [{ kind: 'trait', filter: { path: 'age', op: 'gt', value: 17 } }] } });
			await createSegment(h.db, {
				name: 'buyers',
				definition: {
					match: 'any',
					conditions: [
						{ kind: 'event', event: 'order_completed', filters: [{ path: 'total', op: 'in', value: [1, 'x', null] }] },
						{ kind: 'trait', filter: { path: 'tags', op: 'contains', value: 'v' } }
					]
				}
			});
		});
		afterAll(async () => {
			await h.close();
		});

		it('either stores the whole batch or throws IngestValidationError having written nothing', async () => {
			let stored = 0;
			let refused = 0;
			await fc.assert(
				fc.asyncProperty(batch, async (input) => {
					const before = await tableCounts(h.db);
					let result: Awaited<ReturnType<typeof ingestMessages>> | undefined;
					try {
						result = await ingestMessages(h.db, input);
					} catch (err) {
						if (!(err instanceof IngestValidationError)) throw err;
						expect(err.issues.length).toBeGreaterThan(0);
						expect(await tableCounts(h.db)).toEqual(before);
						refused++;
						return;
					}
					stored++;
					const after = await tableCounts(h.db);
					expect(result.accepted).toHaveLength(input.length);
					expect(after.events - before.events).toBe(result.eventIds.length);
				}),
				{ numRuns: Number(process.env.FC_NUM_RUNS ?? 150) }
			);
			// The generator must exercise both outcomes, or the property proves little.
			if (process.env.FC_NUM_RUNS) console.log(`stored ${stored}, refused ${refused}`);
			expect(refused).toBeGreaterThan(0);
			expect(stored).toBeGreaterThan(0);
		});
	});
}
