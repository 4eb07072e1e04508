import { validateJourney, type ValidationContext } from '../../../core/graph';

/** Raw journey JSON (deliberately untyped: tests feed invalid shapes too). */
export type Raw = Record<string, unknown>;

export function journey(nodes: Raw[], edges: Raw[], settings: Raw = {}): Raw {
	return { schemaVersion: 1, nodes, edges, settings: { reentry: { mode: 'never' }, exitCriteria: [], ...settings } };
}

export const trigger = (extra: Raw = {}): Raw => ({
	id: 't',
	type: 'trigger',
	label: 'Signed up',
	entry: { kind: 'event', event: 'signed_up' },
	...extra
});
export const sms = (id: string, extra: Raw = {}): Raw => ({ id, type: 'sendSms', body: 'Hi {{ customer.firstName }}', ...extra });
export const exit = (id = 'x'): Raw => ({ id, type: 'exit' });
export const wait = (id: string): Raw => ({ id, type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } });

export function edge(source: string, target: string, sourceHandle?: string): Raw {
	return { id: `${source}-${sourceHandle ?? 'out'}-${target}`, source, target, ...(sourceHandle ? { sourceHandle } : {}) };
}

/** Edges joining the ids in order through their default outputs. */
export function chain(...ids: string[]): Raw[] {
	return ids.slice(1).map((id, i) => edge(ids[i] ?? '', id));
}

/** The problem codes of a validation, in order. */
export function codesOf(def: unknown, ctx?: ValidationContext): string[] {
	return validateJourney(def, ctx).problems.map((p) => p.code);
}

/** The problems of a validation carrying `code`. */
export function problemsOf(def: unknown, code: string, ctx?: ValidationContext) {
	return validateJourney(def, ctx).problems.filter((p) => p.code === code);
}
