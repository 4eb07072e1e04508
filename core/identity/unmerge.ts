import { consentChannels, type ConsentMap } from './consent';
import { addMoney } from './money';
import type { ProfileFields } from './profile';

/**
 * The survivor's profile once the loser's contribution is taken back out. A trait, consent answer, zone or
 * seen-time goes back to its pre-merge value only if it still holds what the loser brought (same set time):
 * anything the survivor learned since the merge is kept.
 */
export function unmergeProfile(current: ProfileFields, before: ProfileFields, loser: ProfileFields): ProfileFields {
	const traits = { ...current.traits };
	const traitTimes = { ...current.traitTimes };
	for (const key of Object.keys(loser.traits)) {
		const fromLoser = traitTimes[key] === loser.traitTimes[key] && !(key in before.traits && before.traitTimes[key] === loser.traitTimes[key]);
		if (!fromLoser) continue;
		if (key in before.traits) {
			traits[key] = before.traits[key];
			const t = before.traitTimes[key];
			if (t === undefined) delete traitTimes[key];
			else traitTimes[key] = t;
		} else {
			delete traits[key];
			delete traitTimes[key];
		}
	}
	const consent: ConsentMap = { ...current.consent };
	for (const channel of consentChannels) {
		const theirs = loser.consent[channel];
		if (!theirs || consent[channel]?.at !== theirs.at || before.consent[channel]?.at === theirs.at) continue;
		const ours = before.consent[channel];
		if (ours) consent[channel] = ours;
		else delete consent[channel];
	}
	const sameTime = (a: Date, b: Date) => a.getTime() === b.getTime();
	return {
		traits,
		traitTimes,
		consent,
		timezone: current.timezone === loser.timezone && before.timezone !== loser.timezone ? before.timezone : current.timezone,
		firstSeenAt: sameTime(current.firstSeenAt, loser.firstSeenAt) && loser.firstSeenAt < before.firstSeenAt ? before.firstSeenAt : current.firstSeenAt,
		lastSeenAt: sameTime(current.lastSeenAt, loser.lastSeenAt) && loser.lastSeenAt > before.lastSeenAt ? before.lastSeenAt : current.lastSeenAt,
		ordersCount: Math.max(0, current.ordersCount - loser.ordersCount),
		lifetimeValue: addMoney(current.lifetimeValue, -Number(loser.lifetimeValue))
	};
}
