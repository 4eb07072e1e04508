/** Traits plus the time each was last set (ISO): the unit that per-trait ordering works on. */
export type TraitSet = { traits: Record<string, unknown>; traitTimes: Record<string, string> };

/** Keys that are not traits: consent has its own column with per-channel times. */
const NOT_TRAITS = new Set(['consent']);

function time(iso: string | undefined): number {
	const t = iso === undefined ? NaN : Date.parse(iso);
	return Number.isNaN(t) ? -Infinity : t;
}

/**
 * Applies traits observed at `at`. A trait changes only when `at` is not older than the time it was last set,
 * so an event that arrives late (a retried batch, an offline device) never overwrites a newer value. Equal
 * times: the later arrival wins. `null` is a value ("cleared"), as in Segment's spec.
 */
export function applyTraits(current: TraitSet, incoming: Record<string, unknown>, at: Date): TraitSet {
	const traits = { ...current.traits };
	const traitTimes = { ...current.traitTimes };
	for (const [key, value] of Object.entries(incoming)) {
		if (NOT_TRAITS.has(key) || value === undefined) continue;
		if (at.getTime() < time(traitTimes[key])) continue;
		traits[key] = value;
		traitTimes[key] = at.toISOString();
	}
	return { traits, traitTimes };
}

/** Both profiles' traits; per trait the newer one wins, `a` on ties (the survivor of a merge). */
export function mergeTraits(a: TraitSet, b: TraitSet): TraitSet {
	const traits = { ...a.traits };
	const traitTimes = { ...a.traitTimes };
	for (const [key, value] of Object.entries(b.traits)) {
		if (key in a.traits && time(b.traitTimes[key]) <= time(a.traitTimes[key])) continue;
		traits[key] = value;
		const bTime = b.traitTimes[key];
		if (bTime !== undefined) traitTimes[key] = bTime;
		else delete traitTimes[key];
	}
	return { traits, traitTimes };
}
