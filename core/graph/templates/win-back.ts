import type { JourneyDefinition } from '../definition';

/**
 * Lapsed customers get 20% off to come back, half by email and half by SMS, while 10% hear nothing: the holdout
 * shows how many would have come back anyway, so the uplift of each channel can be read off the goal.
 */
export function winBackJourney(): JourneyDefinition {
	const offer = (id: string, channel: string) =>
		({
			id,
			type: 'grantOffer',
			label: `20% off (${channel})`,
			title: '20% off, because we missed you',
			kind: 'percent',
			value: 20,
			validFor: { amount: 14, unit: 'days' },
			codePrefix: 'BACK20'
		}) as const;
	return {
		schemaVersion: 1,
		nodes: [
			// Sent by a CRM or a nightly job; a segment such as "no order in 90 days" fits as well.
			{ id: 'trigger', type: 'trigger', label: 'Lapsed customer', entry: { kind: 'event', event: 'customer_lapsed' } },
			{
				id: 'split',
				type: 'randomSplit',
				label: 'Email or SMS',
				variants: [
					{ id: 'email', label: 'Email', weight: 50 },
					{ id: 'sms', label: 'SMS', weight: 50 }
				],
				holdoutPercent: 10
			},
			offer('offer-email', 'email'),
			{
				id: 'email',
				type: 'sendEmail',
				label: 'We miss you email',
				subject: 'We miss you, {{ customer.firstName | default: "friend" }}: {{ offer.display }} off',
				html: '<p>It has been a while. Here is <strong>{{ offer.display }}</strong> off your next order, online or in store: <strong>{{ offer.code }}</strong>, until {{ offer.expiresAt | date: "%e %B" }}.</p>',
				text: 'It has been a while. Here is {{ offer.display }} off your next order, online or in store: {{ offer.code }}, until {{ offer.expiresAt | date: "%e %B" }}.'
			},
			offer('offer-sms', 'SMS'),
			{
				id: 'sms',
				type: 'sendSms',
				label: 'We miss you SMS',
				body: 'We miss you! {{ offer.code }} gives you {{ offer.display }} off online or in store until {{ offer.expiresAt | date: "%e %b" }}.'
			},
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-split', source: 'trigger', target: 'split' },
			{ id: 'e-split-email', source: 'split', sourceHandle: 'email', target: 'offer-email' },
			{ id: 'e-offer-email', source: 'offer-email', target: 'email' },
			{ id: 'e-email-exit', source: 'email', target: 'exit' },
			{ id: 'e-split-sms', source: 'split', sourceHandle: 'sms', target: 'offer-sms' },
			{ id: 'e-offer-sms', source: 'offer-sms', target: 'sms' },
			{ id: 'e-sms-exit', source: 'sms', target: 'exit' }
		],
		settings: {
			// A season apart at least.
			reentry: { mode: 'afterPeriod', period: { amount: 90, unit: 'days' } },
			exitCriteria: [],
			// The offer's fortnight; the holdout is measured over the same window.
			goal: { events: [{ event: 'order_completed' }, { event: 'offer_redeemed' }], attributionWindow: { amount: 14, unit: 'days' } },
			quietHours: { start: '21:00', end: '08:00' },
			frequencyCaps: [{ channel: 'all', max: 1, per: { amount: 1, unit: 'days' } }]
		}
	};
}
