import { describe, expect, it } from 'vitest';
import { JourneyNode, NODE_TYPES, adToStoreJourney } from '../../../core/graph';

/** One valid node of every kind, as the builder and the API send them. */
const samples: Record<string, unknown> = {
	trigger: { id: 'n', type: 'trigger', entry: { kind: 'segment', segmentId: 'vip', on: 'leave' } },
	wait: { id: 'n', type: 'wait', mode: 'localTime', time: '09:30', weekdays: [1, 'fri'], fallbackTimeZone: 'Europe/Paris' },
	waitForEvent: { id: 'n', type: 'waitForEvent', event: 'order_completed', matchEntryProperty: 'cart_id', timeout: { amount: 2, unit: 'days' } },
	condition: {
		id: 'n',
		type: 'condition',
		branches: [{ id: 'b', label: 'B', match: 'any', conditions: [{ kind: 'event', event: 'x', within: { amount: 1, unit: 'weeks' } }] }]
	},
	randomSplit: {
		id: 'n',
		type: 'randomSplit',
		holdoutPercent: 5,
		variants: [
			{ id: 'a', label: 'A', weight: 1 },
			{ id: 'b', label: 'B', weight: 2 }
		]
	},
	sendEmail: { id: 'n', type: 'sendEmail', templateId: 'welcome', from: 'Shop <hi@shop.example>' },
	sendSms: { id: 'n', type: 'sendSms', body: 'Code {{ offer.code }}' },
	sendWhatsApp: {
		id: 'n',
		type: 'sendWhatsApp',
		body: 'Hi {{ customer.first_name }}',
		template: { contentSid: `HX${'0a'.repeat(16)}`, variables: { '1': '{{ offer.code }}' } }
	},
	sendPush: { id: 'n', type: 'sendPush', title: 'Back in stock', body: 'Your size is back', url: '/shop/cart' },
	adAudience: { id: 'n', type: 'adAudience', provider: 'google', audienceId: '123', action: 'remove' },
	grantOffer: {
		id: 'n',
		type: 'grantOffer',
		title: '5€',
		kind: 'amount',
		value: 5,
		currency: 'EUR',
		storeScope: ['paris-1'],
		validFor: { amount: 1, unit: 'weeks' }
	},
	storeTask: { id: 'n', type: 'storeTask', title: 'Hold', instructions: 'Hold the size 42', store: { kind: 'fixed', storeId: 'lyon' } },
	webhook: { id: 'n', type: 'webhook', url: 'https://crm.example/hooks/{{ customer.id }}', headers: { 'X-Key': 'k' }, body: '{}' },
	updateProfile: { id: 'n', type: 'updateProfile', set: { 'loyalty.tier': 'gold', score: 3 }, unset: ['churn_risk'] },
	exit: { id: 'n', type: 'exit', reason: 'converted' }
};

describe('node schemas', () => {
	it('accepts a valid node of every kind, keeping its fields', () => {
		expect(Object.keys(samples).sort()).toEqual([...NODE_TYPES].sort());
		for (const [type, raw] of Object.entries(samples)) {
			const parsed = JourneyNode.parse(raw);
			expect(parsed.type).toBe(type);
			expect(parsed).toEqual(raw);
		}
	});

	it('drops unknown fields such as canvas state the builder might leave behind', () => {
		const parsed = JourneyNode.parse({ id: 'n', type: 'exit', selected: true, measured: { width: 10 } });
		expect(parsed).toEqual({ id: 'n', type: 'exit' });
	});

	it('keeps labels but not positions: layout lives beside the definition', () => {
		const offer = adToStoreJourney.nodes.find((n) => n.type === 'grantOffer');
		expect(offer).toMatchObject({ label: '15% off', value: 15, validFor: { amount: 14, unit: 'days' } });
		expect(JourneyNode.parse({ id: 'n', type: 'exit', position: { x: 1, y: 2 } })).toEqual({ id: 'n', type: 'exit' });
	});
});
