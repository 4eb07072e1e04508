import type { JourneyDefinition } from '../definition';

/**
 * Back in stock: a restock emits `back_in_stock` to everyone who recently viewed or wished for the SKU (see
 * core/commerce). When it is on the shelf of the customer's own store (`preferred_store`), an e-mail says so and
 * the store is asked to hold one; otherwise the e-mail offers to collect it where it came back. An order within
 * three days converts; one such message a week at most, however many stores restock.
 */
export function backInStockJourney(): JourneyDefinition {
	const subject = '{{ event.properties.name | default: "The item you wanted" }} is back';
	return {
		schemaVersion: 1,
		nodes: [
			{
				id: 'trigger',
				type: 'trigger',
				label: 'Back in stock',
				entry: { kind: 'event', event: 'back_in_stock', filters: [{ path: 'sku', op: 'exists' }] }
			},
			{
				id: 'my-store',
				type: 'condition',
				label: 'On the shelf at my store?',
				branches: [
					{
						id: 'mine',
						label: 'At my store',
						match: 'all',
						conditions: [{ kind: 'stock', sku: { from: 'entryProperty', path: 'sku' }, store: { from: 'trait', path: 'preferred_store' }, minQuantity: 1 }]
					}
				],
				elseLabel: 'Elsewhere'
			},
			{
				id: 'mail-mine',
				type: 'sendEmail',
				label: 'Back at your store',
				subject: `${subject} at your store`,
				html: '<p>Good news: {{ event.properties.name | default: "the item you looked at" }} is back on the shelf at your store. Come and try it, or order online and collect it there.</p>',
				text: 'Good news: {{ event.properties.name | default: "the item you looked at" }} is back on the shelf at your store. Come and try it, or order online and collect it there.'
			},
			{
				id: 'hold',
				type: 'storeTask',
				label: 'Hold one',
				title: 'Hold one {{ event.properties.name }} for this customer',
				instructions: 'They wanted it while it was out of stock and were told it is back. Keep one aside for three days.',
				store: { kind: 'preferred' }
			},
			{
				id: 'mail-elsewhere',
				type: 'sendEmail',
				label: 'Back in another store',
				subject: `${subject} at {{ event.properties.store_name }}`,
				html: '<p>{{ event.properties.name | default: "The item you looked at" }} is back at {{ event.properties.store_name }}. Order online and collect it there, or ask your own store to order it for delivery home.</p>',
				text: '{{ event.properties.name | default: "The item you looked at" }} is back at {{ event.properties.store_name }}. Order online and collect it there, or ask your own store to order it for delivery home.'
			},
			{ id: 'wait-order', type: 'waitForEvent', label: 'Ordered within 3 days?', event: 'order_completed', timeout: { amount: 3, unit: 'days' } },
			{ id: 'exit-ordered', type: 'exit', label: 'Ordered', reason: 'converted' },
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-check', source: 'trigger', target: 'my-store' },
			{ id: 'e-mine', source: 'my-store', sourceHandle: 'mine', target: 'mail-mine' },
			{ id: 'e-elsewhere', source: 'my-store', sourceHandle: 'else', target: 'mail-elsewhere' },
			{ id: 'e-mine-hold', source: 'mail-mine', target: 'hold' },
			{ id: 'e-hold-wait', source: 'hold', target: 'wait-order' },
			{ id: 'e-elsewhere-wait', source: 'mail-elsewhere', target: 'wait-order' },
			{ id: 'e-ordered', source: 'wait-order', sourceHandle: 'event', target: 'exit-ordered' },
			{ id: 'e-timeout', source: 'wait-order', sourceHandle: 'timeout', target: 'exit' }
		],
		settings: {
			reentry: { mode: 'afterPeriod', period: { amount: 7, unit: 'days' } },
			exitCriteria: [],
			goal: { events: [{ event: 'order_completed' }], attributionWindow: { amount: 7, unit: 'days' } },
			quietHours: { start: '21:00', end: '08:00' }
		}
	};
}
