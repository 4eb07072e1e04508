import { describe, expect, it } from 'vitest';
import { JourneyDefinition, NODE_KINDS, outlineOf, triggerOf, validateJourney } from '../../../core/graph';
import { renderTemplate, type TemplateContext } from '../../../core/channels/template';
import { TEMPLATES, TEMPLATE_IDS, templateById } from '../../../core/graph/templates/index';

describe('journey templates', () => {
	it('lists every template id once, in gallery order, with a name, a description and channels', () => {
		expect(TEMPLATES.map((t) => t.id)).toEqual([...TEMPLATE_IDS]);
		for (const t of TEMPLATES) {
			expect(t.name.trim()).not.toBe('');
			expect(t.description.length).toBeGreaterThan(20);
			expect(templateById(t.id)).toBe(t);
		}
		expect(templateById('nope')).toBeUndefined();
	});

	it.each(TEMPLATES.map((t) => [t.id, t] as const))('%s is valid and publishable as is (JSON round trip, no layout)', (_id, t) => {
		const def = JSON.parse(JSON.stringify(t.build())) as unknown;
		const result = validateJourney(def);
		expect(result.problems).toEqual([]);
		expect(result.definition).toEqual(def);
		expect(JourneyDefinition.parse(def)).toEqual(def);
		// Layout lives beside the definition, never inside it.
		expect(JSON.stringify(def)).not.toContain('"position"');
		// The outline (the gallery's step list) reaches every step from the trigger.
		expect(
			outlineOf(def)
				.map((s) => s.id)
				.sort()
		).toEqual(
			t
				.build()
				.nodes.map((n) => n.id)
				.sort()
		);
	});

	it.each(TEMPLATES.filter((t) => t.id !== 'blank').map((t) => [t.id, t] as const))('%s has a goal, an event entry and the channels it claims', (_id, t) => {
		const def = t.build();
		expect(def.settings.goal?.events.length).toBeGreaterThan(0);
		expect(triggerOf(def)?.entry.kind).toBe('event');
		const used = new Set(
			def.nodes.map((n) => ({ sendEmail: 'email', sendSms: 'sms', storeTask: 'store', adAudience: 'ads' })[n.type as string]).filter(Boolean)
		);
		for (const channel of t.channels.filter((c) => c !== 'ads')) expect(used).toContain(channel);
		for (const n of def.nodes) expect(NODE_KINDS[n.type]).toBeDefined();
	});

	it('builds a fresh copy each time, so editing a draft never changes the template', () => {
		for (const t of TEMPLATES) {
			const a = t.build();
			a.nodes.length = 0;
			expect(t.build().nodes.length).toBeGreaterThan(0);
		}
	});

	it('renders every message with Liquid as the worker provides it (customer, entry event, offer)', async () => {
		const context: TemplateContext = {
			customer: { id: 'c1', firstName: 'Ann' },
			event: {
				name: 'cart_updated',
				properties: {
					cart_id: 'k1',
					order_id: 'o1',
					name: 'Lamp',
					release_date: '2027-03-01',
					store_name: 'Lyon',
					currency: 'EUR',
					products: [{ product_id: 'lamp', name: 'Lamp', quantity: 2, price: 40 }]
				},
				timestamp: '2026-11-30T10:00:00.000Z'
			},
			offer: { code: 'CART10-X', title: '10%', kind: 'percent', value: 10, currency: null, display: '10%', expiresAt: '2026-12-14T10:00:00.000Z', qrUrl: '' },
			links: { unsubscribe: 'https://example.test/u' }
		};
		for (const t of TEMPLATES)
			for (const n of t.build().nodes) {
				const parts = n.type === 'sendEmail' ? [n.subject, n.html, n.text] : n.type === 'sendSms' ? [n.body] : [];
				for (const part of parts) {
					const out = await renderTemplate(part ?? '', context, 'text');
					expect(out).not.toMatch(/{{|{%/);
				}
			}
		const cart = templateById('abandonedCart')!
			.build()
			.nodes.find((n) => n.id === 'email');
		expect(await renderTemplate(cart?.type === 'sendEmail' ? cart.text! : '', context, 'text')).toContain('2 × Lamp: 40 EUR');
	});

	it('abandoned cart waits for the order of the same cart and lists the cart’s items in its email', () => {
		const def = templateById('abandonedCart')!.build();
		const waits = def.nodes.filter((n) => n.type === 'waitForEvent');
		expect(waits.map((w) => w.type === 'waitForEvent' && [w.event, w.matchEntryProperty, w.timeout])[0]).toEqual([
			'order_completed',
			'cart_id',
			{ amount: 1, unit: 'hours' }
		]);
		const email = def.nodes.find((n) => n.id === 'email');
		expect(email?.type === 'sendEmail' && email.html).toContain('{% for item in event.properties.products %}');
	});

	it('win-back holds out 10% on an A/B split whose variants are email and SMS', () => {
		const split = templateById('winBack')!
			.build()
			.nodes.find((n) => n.type === 'randomSplit');
		expect(split).toMatchObject({ holdoutPercent: 10, variants: [{ id: 'email' }, { id: 'sms' }] });
	});
});
