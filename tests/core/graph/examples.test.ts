import { describe, expect, it } from 'vitest';
import { EVENT_BRANCH, JourneyDefinition, TIMEOUT_BRANCH, adToStoreJourney, nextNode, validateJourney } from '../../../core/graph';

describe('the headline example', () => {
	it('passes validation with no problem and round-trips through JSON', () => {
		const result = validateJourney(JSON.parse(JSON.stringify(adToStoreJourney)));
		expect(result.problems).toEqual([]);
		expect(result.ok).toBe(true);
		expect(result.definition).toEqual(adToStoreJourney);
		expect(JourneyDefinition.parse(adToStoreJourney)).toEqual(adToStoreJourney);
	});

	it('walks ad → offer → wait → email → wait for order, then either exits or goes SMS → store', () => {
		const walk = (from: string, branch?: string) => nextNode(adToStoreJourney, from, branch)?.id;
		expect(['trigger', 'offer', 'wait-1d', 'email'].map((id) => walk(id))).toEqual(['offer', 'wait-1d', 'email', 'wait-order']);
		expect(walk('wait-order', EVENT_BRANCH)).toBe('exit-converted');
		expect(walk('wait-order', TIMEOUT_BRANCH)).toBe('sms');
		expect([walk('sms'), walk('store'), walk('exit')]).toEqual(['store', 'exit', undefined]);
	});

	it('quotes the same offer code in the email and the SMS, and converts on redemption or order', () => {
		const text = JSON.stringify(adToStoreJourney.nodes.filter((n) => n.type === 'sendEmail' || n.type === 'sendSms'));
		expect(text.match(/\{\{ offer\.code \}\}/g)?.length).toBeGreaterThanOrEqual(3);
		expect(adToStoreJourney.settings.goal?.events.map((e) => e.event)).toEqual(['offer_redeemed', 'order_completed']);
		expect(adToStoreJourney.settings.goal?.attributionWindow).toEqual({ amount: 7, unit: 'days' });
		expect(adToStoreJourney.settings.exitCriteria).toEqual([{ event: 'order_completed' }]);
	});
});
