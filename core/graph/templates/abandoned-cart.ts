import type { JourneyDefinition } from '../definition';

/**
 * A cart left for an hour: an email listing its items, a day later an SMS, and two days after that 10% off to
 * finish the order. Each wait listens for `order_completed` with the same `cart_id` as the cart that started it,
 * so a customer who checks out that cart leaves as converted; the incentive comes last, only to those the plain
 * reminders did not bring back.
 */
export function abandonedCartJourney(): JourneyDefinition {
	const waitForOrder = (id: string, label: string, amount: number, unit: 'hours' | 'days') =>
		({ id, type: 'waitForEvent', label, event: 'order_completed', matchEntryProperty: 'cart_id', timeout: { amount, unit } }) as const;
	return {
		schemaVersion: 1,
		nodes: [
			{
				id: 'trigger',
				type: 'trigger',
				label: 'Updated their cart',
				entry: { kind: 'event', event: 'cart_updated', filters: [{ path: 'cart_id', op: 'exists' }] }
			},
			waitForOrder('wait-1h', 'Ordered within the hour?', 1, 'hours'),
			{
				id: 'email',
				type: 'sendEmail',
				label: 'Your cart is waiting',
				subject: 'You left something in your cart, {{ customer.firstName | default: "there" }}',
				html: '<p>Your cart is saved:</p><ul>{% for item in event.properties.products %}<li>{{ item.quantity | default: 1 }} × {{ item.name | default: item.product_id }} — {{ item.price }} {{ event.properties.currency }}</li>{% endfor %}</ul><p>Pick up where you left off whenever you like.</p>',
				text: 'Your cart is saved:\n{% for item in event.properties.products %}- {{ item.quantity | default: 1 }} × {{ item.name | default: item.product_id }}: {{ item.price }} {{ event.properties.currency }}\n{% endfor %}Pick up where you left off whenever you like.'
			},
			waitForOrder('wait-1d', 'Ordered within a day?', 1, 'days'),
			{
				id: 'sms',
				type: 'sendSms',
				label: 'Cart reminder',
				body: 'Your cart ({{ event.properties.products | size }} items) is still waiting for you. Reply STOP to opt out.'
			},
			waitForOrder('wait-2d', 'Ordered within 2 days?', 2, 'days'),
			{
				id: 'offer',
				type: 'grantOffer',
				label: '10% off the cart',
				title: '10% off to finish your order',
				kind: 'percent',
				value: 10,
				validFor: { amount: 3, unit: 'days' },
				codePrefix: 'CART10'
			},
			{
				id: 'offer-email',
				type: 'sendEmail',
				label: 'Offer email',
				subject: '10% off the cart you left',
				html: '<p>Finish your order with code <strong>{{ offer.code }}</strong> for {{ offer.display }} off, online or in store, until {{ offer.expiresAt | date: "%e %B" }}.</p>',
				text: 'Finish your order with code {{ offer.code }} for {{ offer.display }} off, online or in store, until {{ offer.expiresAt | date: "%e %B" }}.'
			},
			{ id: 'exit-converted', type: 'exit', label: 'Ordered', reason: 'converted' },
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-wait-1h', source: 'trigger', target: 'wait-1h' },
			{ id: 'e-wait-1h-ordered', source: 'wait-1h', sourceHandle: 'event', target: 'exit-converted' },
			{ id: 'e-wait-1h-email', source: 'wait-1h', sourceHandle: 'timeout', target: 'email' },
			{ id: 'e-email-wait-1d', source: 'email', target: 'wait-1d' },
			{ id: 'e-wait-1d-ordered', source: 'wait-1d', sourceHandle: 'event', target: 'exit-converted' },
			{ id: 'e-wait-1d-sms', source: 'wait-1d', sourceHandle: 'timeout', target: 'sms' },
			{ id: 'e-sms-wait-2d', source: 'sms', target: 'wait-2d' },
			{ id: 'e-wait-2d-ordered', source: 'wait-2d', sourceHandle: 'event', target: 'exit-converted' },
			{ id: 'e-wait-2d-offer', source: 'wait-2d', sourceHandle: 'timeout', target: 'offer' },
			{ id: 'e-offer-email', source: 'offer', target: 'offer-email' },
			{ id: 'e-offer-email-exit', source: 'offer-email', target: 'exit' }
		],
		settings: {
			// One pass per week at most: a shopper who fiddles with their cart daily is not chased daily.
			reentry: { mode: 'afterPeriod', period: { amount: 7, unit: 'days' } },
			exitCriteria: [],
			goal: { events: [{ event: 'order_completed' }], attributionWindow: { amount: 7, unit: 'days' } },
			quietHours: { start: '21:00', end: '08:00' },
			frequencyCaps: [{ channel: 'sms', max: 1, per: { amount: 1, unit: 'days' } }]
		}
	};
}
