import type { JourneyDefinition } from '../definition';

/**
 * A pre-order confirmed at once, then announced on release day: the wait lasts until the `release_date` the
 * `preorder_placed` event carries, at 09:00 in the customer's time zone, and the customer hears "it's out today" by
 * e-mail and SMS. A release date already past when the order is placed announces at once; an order without one
 * leaves the journey at the wait (nobody is told "it's out" by mistake). A cancelled pre-order leaves at any point.
 */
export function preorderReleaseJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{
				id: 'trigger',
				type: 'trigger',
				label: 'Placed a pre-order',
				entry: {
					kind: 'event',
					event: 'preorder_placed',
					filters: [
						{ path: 'order_id', op: 'exists' },
						{ path: 'release_date', op: 'exists' }
					]
				}
			},
			{
				id: 'confirm',
				type: 'sendEmail',
				label: 'Pre-order confirmed',
				subject: 'Your pre-order of {{ event.properties.name | default: "your item" }} is confirmed',
				html: '<p>Thank you! {{ event.properties.name | default: "Your item" }} is reserved for you. It comes out on {{ event.properties.release_date | date: "%e %B %Y" }}: we will tell you that morning.</p>',
				text: 'Thank you! {{ event.properties.name | default: "Your item" }} is reserved for you. It comes out on {{ event.properties.release_date | date: "%e %B %Y" }}: we will tell you that morning.'
			},
			{
				id: 'wait-release',
				type: 'wait',
				label: 'Release day, 09:00',
				mode: 'date',
				date: { source: 'event', path: 'release_date' },
				time: '09:00'
			},
			{
				id: 'out-email',
				type: 'sendEmail',
				label: 'It’s out today',
				subject: 'It’s out today: {{ event.properties.name | default: "your pre-order" }}',
				html: '<p>Release day! {{ event.properties.name | default: "Your pre-order" }} is out today and on its way to you.</p>',
				text: 'Release day! {{ event.properties.name | default: "Your pre-order" }} is out today and on its way to you.'
			},
			{
				id: 'out-sms',
				type: 'sendSms',
				label: 'It’s out today SMS',
				body: 'It’s out today! Your pre-order {{ event.properties.order_id }} ({{ event.properties.name | default: "your item" }}) is on its way.'
			},
			{ id: 'exit', type: 'exit', label: 'Announced' }
		],
		edges: [
			{ id: 'e-trigger-confirm', source: 'trigger', target: 'confirm' },
			{ id: 'e-confirm-wait', source: 'confirm', target: 'wait-release' },
			{ id: 'e-wait-email', source: 'wait-release', target: 'out-email' },
			{ id: 'e-email-sms', source: 'out-email', target: 'out-sms' },
			{ id: 'e-sms-exit', source: 'out-sms', target: 'exit' }
		],
		settings: {
			// Each pre-order is followed on its own.
			reentry: { mode: 'always' },
			exitCriteria: [{ event: 'preorder_cancelled' }],
			// Success is the pre-order reaching the customer; the window spans a long wait for release.
			goal: { events: [{ event: 'order_delivered' }], attributionWindow: { amount: 26, unit: 'weeks' } },
			quietHours: { start: '21:00', end: '08:00' },
			defaultTimeZone: 'Europe/Paris'
		}
	};
}
