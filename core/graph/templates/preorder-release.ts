import type { JourneyDefinition } from '../definition';

/**
 * A pre-order confirmed at once, then announced on release: when the order ships (`order_shipped` with the same
 * `order_id`, sent on release day) the customer hears "it's out" by email and SMS at 09:00 their time. If nothing
 * ships within four months they get an apology instead of silence.
 */
export function preorderReleaseJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{
				id: 'trigger',
				type: 'trigger',
				label: 'Placed a pre-order',
				entry: { kind: 'event', event: 'preorder_placed', filters: [{ path: 'order_id', op: 'exists' }] }
			},
			{
				id: 'confirm',
				type: 'sendEmail',
				label: 'Pre-order confirmed',
				subject: 'Your pre-order of {{ event.properties.name | default: "your item" }} is confirmed',
				html: '<p>Thank you! {{ event.properties.name | default: "Your item" }} is reserved for you. It comes out on {{ event.properties.release_date | date: "%e %B %Y" }} and we will tell you the moment it ships.</p>',
				text: 'Thank you! {{ event.properties.name | default: "Your item" }} is reserved for you. It comes out on {{ event.properties.release_date | date: "%e %B %Y" }} and we will tell you the moment it ships.'
			},
			{
				id: 'wait-release',
				type: 'waitForEvent',
				label: 'Shipped on release?',
				event: 'order_shipped',
				matchEntryProperty: 'order_id',
				timeout: { amount: 120, unit: 'days' }
			},
			{ id: 'morning', type: 'wait', label: 'Next 09:00', mode: 'localTime', time: '09:00' },
			{
				id: 'out-email',
				type: 'sendEmail',
				label: 'It’s out',
				subject: 'It’s out: {{ event.properties.name | default: "your pre-order" }} is on its way',
				html: '<p>Release day! {{ event.properties.name | default: "Your pre-order" }} has shipped and is on its way to you.</p>',
				text: 'Release day! {{ event.properties.name | default: "Your pre-order" }} has shipped and is on its way to you.'
			},
			{
				id: 'out-sms',
				type: 'sendSms',
				label: 'It’s out SMS',
				body: 'Release day! Your pre-order {{ event.properties.order_id }} has shipped.'
			},
			{
				id: 'delay-email',
				type: 'sendEmail',
				label: 'Delay apology',
				subject: 'Your pre-order is taking longer than planned',
				html: '<p>{{ event.properties.name | default: "Your pre-order" }} has not shipped yet. It is still reserved for you, and you can cancel at any time for a full refund.</p>',
				text: '{{ event.properties.name | default: "Your pre-order" }} has not shipped yet. It is still reserved for you, and you can cancel at any time for a full refund.'
			},
			{ id: 'exit-delivered', type: 'exit', label: 'Announced', reason: 'converted' },
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-confirm', source: 'trigger', target: 'confirm' },
			{ id: 'e-confirm-wait', source: 'confirm', target: 'wait-release' },
			{ id: 'e-wait-morning', source: 'wait-release', sourceHandle: 'event', target: 'morning' },
			{ id: 'e-wait-delay', source: 'wait-release', sourceHandle: 'timeout', target: 'delay-email' },
			{ id: 'e-morning-email', source: 'morning', target: 'out-email' },
			{ id: 'e-email-sms', source: 'out-email', target: 'out-sms' },
			{ id: 'e-sms-exit', source: 'out-sms', target: 'exit-delivered' },
			{ id: 'e-delay-exit', source: 'delay-email', target: 'exit' }
		],
		settings: {
			// Each pre-order is followed on its own.
			reentry: { mode: 'always' },
			exitCriteria: [{ event: 'preorder_cancelled' }],
			// Success is the pre-order reaching the customer; the window spans the longest wait for release.
			goal: { events: [{ event: 'order_delivered' }], attributionWindow: { amount: 20, unit: 'weeks' } },
			quietHours: { start: '21:00', end: '08:00' },
			defaultTimeZone: 'Europe/Paris'
		}
	};
}
