import type { Customer } from '../db/schema/customers';
import { applyConsent, mergeConsent, type ConsentChange } from './consent';
import { addMoney } from './money';
import { normalizeTimeZone } from './normalize';
import { applyTraits, mergeTraits } from './traits';

/** The parts of a customer row that events change and merges combine. */
export type ProfileFields = Pick<Customer, 'traits' | 'traitTimes' | 'consent' | 'timezone' | 'firstSeenAt' | 'lastSeenAt' | 'ordersCount' | 'lifetimeValue'>;

/** What one event says about the profile, already read out of the message by the ingest layer. */
export type ProfileInput = {
	at: Date;
	traits?: Record<string, unknown>;
	/** The device's zone (`context.timezone`): used only while no `timezone` trait was set explicitly. */
	deviceTimezone?: string;
	consent: readonly ConsentChange[];
	order?: { total: number };
};

export function profileFields(c: Customer): ProfileFields {
	const { traits, traitTimes, consent, timezone, firstSeenAt, lastSeenAt, ordersCount, lifetimeValue } = c;
	return { traits, traitTimes, consent, timezone, firstSeenAt, lastSeenAt, ordersCount, lifetimeValue };
}

export function applyProfileInput(p: ProfileFields, input: ProfileInput): ProfileFields {
	const { at } = input;
	const set = input.traits ? applyTraits(p, input.traits, at) : { traits: p.traits, traitTimes: p.traitTimes };
	let timezone = p.timezone;
	// An explicit `timezone` trait wins over whatever zone the latest device reported.
	if (set.traitTimes.timezone !== undefined) timezone = normalizeTimeZone(set.traits.timezone) ?? timezone;
	else if (input.deviceTimezone && at >= p.lastSeenAt) {
		timezone = normalizeTimeZone(input.deviceTimezone) ?? timezone;
	}
	return {
		...set,
		consent: applyConsent(p.consent, input.consent, at),
		timezone,
		firstSeenAt: at < p.firstSeenAt ? at : p.firstSeenAt,
		lastSeenAt: at > p.lastSeenAt ? at : p.lastSeenAt,
		ordersCount: p.ordersCount + (input.order ? 1 : 0),
		lifetimeValue: input.order ? addMoney(p.lifetimeValue, input.order.total) : p.lifetimeValue
	};
}

/** The survivor's profile after absorbing the loser's: newer traits and consent win, counters add up. */
export function mergeProfiles(survivor: ProfileFields, loser: ProfileFields): ProfileFields {
	const set = mergeTraits(survivor, loser);
	const zoneFromTrait = set.traitTimes.timezone !== undefined ? normalizeTimeZone(set.traits.timezone) : null;
	const recent = loser.lastSeenAt > survivor.lastSeenAt ? [loser, survivor] : [survivor, loser];
	return {
		...set,
		consent: mergeConsent(survivor.consent, loser.consent),
		timezone: zoneFromTrait ?? recent[0]!.timezone ?? recent[1]!.timezone,
		firstSeenAt: loser.firstSeenAt < survivor.firstSeenAt ? loser.firstSeenAt : survivor.firstSeenAt,
		lastSeenAt: loser.lastSeenAt > survivor.lastSeenAt ? loser.lastSeenAt : survivor.lastSeenAt,
		ordersCount: survivor.ordersCount + loser.ordersCount,
		lifetimeValue: addMoney(survivor.lifetimeValue, Number(loser.lifetimeValue))
	};
}
