import type { JourneyDefinition } from '../definition';

/**
 * A new sign-up gets a welcome email, a second email two days later, then 10% off their first order on the
 * channel that works for them: by email if they opened either email, else by SMS.
 */
export function welcomeSeriesJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{ id: 'trigger', type: 'trigger', label: 'Signed up', entry: { kind: 'event', event: 'signed_up' } },
			{
				id: 'welcome',
				type: 'sendEmail',
				label: 'Welcome email',
				subject: 'Welcome, {{ customer.firstName | default: "and thank you for joining" }}',
				html: '<p>Thanks for joining us. New arrivals, events at your store and member offers will come your way here.</p>',
				text: 'Thanks for joining us. New arrivals, events at your store and member offers will come your way here.'
			},
			{ id: 'wait-2d', type: 'wait', label: 'Wait 2 days', mode: 'duration', duration: { amount: 2, unit: 'days' } },
			{
				id: 'bestsellers',
				type: 'sendEmail',
				label: 'Bestsellers email',
				subject: 'What everyone is buying this week',
				html: '<p>Our bestsellers, online and in every store. Reserve online and try them on in store.</p>',
				text: 'Our bestsellers, online and in every store. Reserve online and try them on in store.'
			},
			{ id: 'wait-opens', type: 'wait', label: 'Wait 2 days', mode: 'duration', duration: { amount: 2, unit: 'days' } },
			{
				id: 'offer',
				type: 'grantOffer',
				label: '10% off the first order',
				title: '10% off your first order',
				kind: 'percent',
				value: 10,
				validFor: { amount: 14, unit: 'days' },
				codePrefix: 'HELLO10'
			},
			{
				id: 'opened',
				type: 'condition',
				label: 'Opened our emails?',
				branches: [
					{
						id: 'opened',
						label: 'Opened',
						match: 'any',
						conditions: [
							{ kind: 'message', nodeId: 'welcome', status: 'opened' },
							{ kind: 'message', nodeId: 'bestsellers', status: 'opened' }
						]
					}
				],
				elseLabel: 'Not opened'
			},
			{
				id: 'offer-email',
				type: 'sendEmail',
				label: 'First-order offer email',
				subject: 'A welcome gift: {{ offer.display }} off',
				html: '<p>Use <strong>{{ offer.code }}</strong> on your first order, online or in store, before {{ offer.expiresAt | date: "%e %B" }}.</p>',
				text: 'Use {{ offer.code }} on your first order, online or in store, before {{ offer.expiresAt | date: "%e %B" }}.'
			},
			{
				id: 'offer-sms',
				type: 'sendSms',
				label: 'First-order offer SMS',
				body: 'Welcome! {{ offer.code }} gives you {{ offer.display }} off your first order, online or in store, until {{ offer.expiresAt | date: "%e %b" }}.'
			},
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [
			{ id: 'e-trigger-welcome', source: 'trigger', target: 'welcome' },
			{ id: 'e-welcome-wait', source: 'welcome', target: 'wait-2d' },
			{ id: 'e-wait-bestsellers', source: 'wait-2d', target: 'bestsellers' },
			{ id: 'e-bestsellers-wait', source: 'bestsellers', target: 'wait-opens' },
			{ id: 'e-wait-offer', source: 'wait-opens', target: 'offer' },
			{ id: 'e-offer-opened', source: 'offer', target: 'opened' },
			{ id: 'e-opened-email', source: 'opened', sourceHandle: 'opened', target: 'offer-email' },
			{ id: 'e-opened-sms', source: 'opened', sourceHandle: 'else', target: 'offer-sms' },
			{ id: 'e-email-exit', source: 'offer-email', target: 'exit' },
			{ id: 'e-sms-exit', source: 'offer-sms', target: 'exit' }
		],
		settings: {
			reentry: { mode: 'never' },
			exitCriteria: [],
			// The first order, from the welcome on: the offer's fortnight plus the days before it.
			goal: { events: [{ event: 'order_completed' }], attributionWindow: { amount: 21, unit: 'days' } },
			quietHours: { start: '21:00', end: '08:00' }
		}
	};
}
