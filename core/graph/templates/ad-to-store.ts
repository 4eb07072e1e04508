import type { JourneyDefinition } from '../definition';

/**
 * The headline demo, "one promotion, every channel": a customer clicks a retargeting ad and gets
 * 15% off for 14 days; a day later an email quotes the code; if no order follows within two
 * days, an SMS repeats the code and their store is asked to welcome them with the same offer.
 * An order or a redemption on any channel ends the journey as a conversion.
 */
export const adToStoreJourney: JourneyDefinition = {
	schemaVersion: 1,
	nodes: [
		{
			id: 'trigger',
			type: 'trigger',
			label: 'Clicked a retargeting ad',
			entry: { kind: 'event', event: 'ad_clicked' }
		},
		{
			id: 'offer',
			type: 'grantOffer',
			label: '15% off',
			title: '15% off your next order',
			kind: 'percent',
			value: 15,
			validFor: { amount: 14, unit: 'days' },
			codePrefix: 'AD15'
		},
		{ id: 'wait-1d', type: 'wait', label: 'Wait a day', mode: 'duration', duration: { amount: 1, unit: 'days' } },
		{
			id: 'email',
			type: 'sendEmail',
			label: 'Offer email',
			subject: 'Your 15% off is waiting, {{ customer.firstName | default: "there" }}',
			html: '<p>Use code <strong>{{ offer.code }}</strong> online or in store before {{ offer.expiresAt | date: "%e %B" }}.</p>',
			text: 'Use code {{ offer.code }} online or in store before {{ offer.expiresAt | date: "%e %B" }}.'
		},
		{
			id: 'wait-order',
			type: 'waitForEvent',
			label: 'Ordered within 2 days?',
			event: 'order_completed',
			timeout: { amount: 2, unit: 'days' }
		},
		{ id: 'exit-converted', type: 'exit', label: 'Converted', reason: 'converted' },
		{
			id: 'sms',
			type: 'sendSms',
			label: 'Reminder',
			body: 'Still thinking it over? {{ offer.code }} gives you 15% off online or in store until {{ offer.expiresAt | date: "%e %b" }}.'
		},
		{
			id: 'store',
			type: 'storeTask',
			label: 'In-store offer',
			title: 'Welcome back with 15% off',
			instructions: 'This customer has an unused 15% offer. If they visit, look them up and apply it at the till.',
			store: { kind: 'preferred' },
			offerNodeId: 'offer'
		},
		{ id: 'exit', type: 'exit', label: 'End' }
	],
	edges: [
		{ id: 'e-trigger-offer', source: 'trigger', target: 'offer' },
		{ id: 'e-offer-wait', source: 'offer', target: 'wait-1d' },
		{ id: 'e-wait-email', source: 'wait-1d', target: 'email' },
		{ id: 'e-email-order', source: 'email', target: 'wait-order' },
		{ id: 'e-order-converted', source: 'wait-order', sourceHandle: 'event', target: 'exit-converted' },
		{ id: 'e-order-sms', source: 'wait-order', sourceHandle: 'timeout', target: 'sms' },
		{ id: 'e-sms-store', source: 'sms', target: 'store' },
		{ id: 'e-store-exit', source: 'store', target: 'exit' }
	],
	settings: {
		reentry: { mode: 'afterPeriod', period: { amount: 30, unit: 'days' } },
		exitCriteria: [{ event: 'order_completed' }],
		goal: {
			events: [{ event: 'offer_redeemed' }, { event: 'order_completed' }],
			attributionWindow: { amount: 7, unit: 'days' }
		},
		quietHours: { start: '21:00', end: '08:00' },
		frequencyCaps: [{ channel: 'sms', max: 1, per: { amount: 1, unit: 'days' } }]
	}
};
