import type { JourneyDefinition } from '../definition';

/**
 * Buy online, pick up in store: an SMS when the order is ready, a reminder if it is still there two days later,
 * and a task for the pickup store's staff (the `store_id` of `order_ready`) to call the customer if another day passes. `order_picked_up` with the same
 * `order_id` ends it as converted at any point.
 */
export function clickAndCollectJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{
				id: 'trigger',
				type: 'trigger',
				label: 'Order ready for pickup',
				entry: { kind: 'event', event: 'order_ready', filters: [{ path: 'order_id', op: 'exists' }] }
			},
			{
				id: 'ready-sms',
				type: 'sendSms',
				label: 'Ready for pickup',
				body: 'Your order {{ event.properties.order_id }} is ready at {{ event.properties.store_name | default: "your store" }}. Show this message at the counter.'
			},
			{
				id: 'wait-pickup',
				type: 'waitForEvent',
				label: 'Picked up within 2 days?',
				event: 'order_picked_up',
				matchEntryProperty: 'order_id',
				timeout: { amount: 2, unit: 'days' }
			},
			{
				id: 'reminder-sms',
				type: 'sendSms',
				label: 'Pickup reminder',
				body: 'Reminder: order {{ event.properties.order_id }} is waiting for you at {{ event.properties.store_name | default: "your store" }}. We keep it for 5 more days.'
			},
			{
				id: 'wait-reminder',
				type: 'waitForEvent',
				label: 'Picked up within a day?',
				event: 'order_picked_up',
				matchEntryProperty: 'order_id',
				timeout: { amount: 1, unit: 'days' }
			},
			{
				id: 'store-call',
				type: 'storeTask',
				label: 'Call about the order',
				title: 'Order waiting for pickup for 3 days',
				instructions: 'This customer has not collected their click-and-collect order after an SMS and a reminder. Call them to arrange pickup or delivery.',
				store: { kind: 'event', property: 'store_id' }
			},
			{ id: 'exit-picked-up', type: 'exit', label: 'Picked up', reason: 'converted' },
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-sms', source: 'trigger', target: 'ready-sms' },
			{ id: 'e-sms-wait', source: 'ready-sms', target: 'wait-pickup' },
			{ id: 'e-wait-picked', source: 'wait-pickup', sourceHandle: 'event', target: 'exit-picked-up' },
			{ id: 'e-wait-reminder', source: 'wait-pickup', sourceHandle: 'timeout', target: 'reminder-sms' },
			{ id: 'e-reminder-wait', source: 'reminder-sms', target: 'wait-reminder' },
			{ id: 'e-reminder-picked', source: 'wait-reminder', sourceHandle: 'event', target: 'exit-picked-up' },
			{ id: 'e-reminder-store', source: 'wait-reminder', sourceHandle: 'timeout', target: 'store-call' },
			{ id: 'e-store-exit', source: 'store-call', target: 'exit' }
		],
		settings: {
			// Every order is its own pickup.
			reentry: { mode: 'always' },
			exitCriteria: [],
			goal: { events: [{ event: 'order_picked_up' }], attributionWindow: { amount: 7, unit: 'days' } },
			quietHours: { start: '21:00', end: '08:00' }
		}
	};
}
