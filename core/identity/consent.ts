import type { ConsentChannel, ConsentState } from '../db/schema/customers';

export const consentChannels = ['email', 'sms', 'whatsapp', 'push', 'ads'] as const satisfies readonly ConsentChannel[];
export type ConsentMap = Partial<Record<ConsentChannel, ConsentState>>;
export type ConsentChange = { channel: ConsentChannel; granted: boolean; source: string };

function isChannel(value: unknown): value is ConsentChannel {
	return typeof value === 'string' && (consentChannels as readonly string[]).includes(value);
}

function sourceOf(value: unknown, fallback: string): string {
	return typeof value === 'string' && value.trim() !== '' ? value.trim().slice(0, 200) : fallback;
}

/**
 * Consent given in identify traits: `consent: { email: true, sms: { granted: false, source: 'store' } }`.
 * Unknown channels and non-boolean answers are ignored rather than guessed.
 */
export function consentFromTraits(traits: Record<string, unknown> | undefined, fallbackSource: string): ConsentChange[] {
	const consent = traits?.consent;
	if (typeof consent !== 'object' || consent === null || Array.isArray(consent)) return [];
	const changes: ConsentChange[] = [];
	for (const [channel, answer] of Object.entries(consent)) {
		if (!isChannel(channel)) continue;
		if (typeof answer === 'boolean') changes.push({ channel, granted: answer, source: fallbackSource });
		else if (typeof answer === 'object' && answer !== null && typeof (answer as { granted?: unknown }).granted === 'boolean') {
			const a = answer as { granted: boolean; source?: unknown };
			changes.push({ channel, granted: a.granted, source: sourceOf(a.source, fallbackSource) });
		}
	}
	return changes;
}

/** `consent_granted` / `consent_revoked` track events, `properties: { channel | channels, source? }`. */
export function consentFromEvent(eventKey: string, properties: Record<string, unknown>, fallbackSource: string): ConsentChange[] {
	if (eventKey !== 'consent_granted' && eventKey !== 'consent_revoked') return [];
	const listed = Array.isArray(properties.channels) ? properties.channels : [properties.channel];
	const source = sourceOf(properties.source, fallbackSource);
	return [...new Set(listed.filter(isChannel))].map((channel) => ({ channel, granted: eventKey === 'consent_granted', source }));
}

/** Applies changes observed at `at`; a channel keeps a newer answer (equal times: the later arrival wins). */
export function applyConsent(current: ConsentMap, changes: readonly ConsentChange[], at: Date): ConsentMap {
	const next: ConsentMap = { ...current };
	for (const c of changes) {
		const prev = next[c.channel];
		if (prev && Date.parse(prev.at) > at.getTime()) continue;
		next[c.channel] = { granted: c.granted, source: c.source, at: at.toISOString() };
	}
	return next;
}

/** Per channel the newer answer; `a` (the survivor) on ties. */
export function mergeConsent(a: ConsentMap, b: ConsentMap): ConsentMap {
	const next: ConsentMap = { ...a };
	for (const channel of consentChannels) {
		const theirs = b[channel];
		const ours = a[channel];
		if (theirs && (!ours || Date.parse(theirs.at) > Date.parse(ours.at))) next[channel] = theirs;
	}
	return next;
}
