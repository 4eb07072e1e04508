import type { z } from 'zod';
// Relative rather than `$core`: this module is pure and unit-tested outside SvelteKit's aliases.
import { JourneyNode, JourneySettings, type Problem } from '../../../../core/graph/index';
import { phraseIssue } from '../../../../core/graph/validate/issues';
import { nodeName, stubOf } from '../../../../core/graph/validate/problems';

/**
 * Inline errors for the side panel, keyed by dotted field path (`branches.0.conditions.1.path`;
 * `''` for the step as a whole). Two sources, merged: the problems `validateJourney` reported for
 * the whole journey (graph and reference problems included) and the zod schema run on the edited
 * object itself, so an error shows the moment a field is changed, even before the canvas revalidates.
 * Messages drop the "The SMS step “X”" subject the journey-wide list needs: under the field it is obvious.
 */
export type FieldErrors = Readonly<Record<string, readonly string[]>>;

/** `The SMS step “X” has no message text.` → `Has no message text.` */
export function withoutSubject(message: string, subject: string): string {
	const rest = message.startsWith(`${subject} `) ? message.slice(subject.length + 1) : message;
	return rest.charAt(0).toUpperCase() + rest.slice(1);
}

function add(out: Record<string, string[]>, field: string | undefined, message: string): void {
	const key = field ?? '';
	const list = (out[key] ??= []);
	if (!list.includes(message)) list.push(message);
}

function schemaErrors(schema: z.ZodType, value: unknown, scope: string, subject: string, out: Record<string, string[]>): void {
	const result = schema.safeParse(value);
	if (result.success) return;
	for (const issue of result.error.issues) {
		const { phrase } = phraseIssue(issue, value, scope);
		add(out, issue.path.map(String).join('.') || undefined, withoutSubject(`${subject} ${phrase}`, subject));
	}
}

/** Errors of one node: its problems from `validateJourney` plus the node schema's own issues. */
export function nodeFieldErrors(node: { id: string; type: string }, problems: readonly Problem[]): FieldErrors {
	const subject = nodeName(stubOf(node, 0));
	const out: Record<string, string[]> = {};
	for (const p of problems) if (p.nodeId === node.id && p.edgeId === undefined) add(out, p.field, withoutSubject(p.message, subject));
	schemaErrors(JourneyNode, node, node.type, subject, out);
	return out;
}

/** Errors of the journey settings: problems whose field lies under `settings`, plus the schema's issues. */
export function settingsFieldErrors(settings: unknown, problems: readonly Problem[]): FieldErrors {
	const subject = 'The journey';
	const out: Record<string, string[]> = {};
	for (const p of problems) {
		if (p.nodeId !== undefined || p.edgeId !== undefined || p.field === undefined) continue;
		// validateJourney reports settings problems with paths relative to the settings object.
		if (['schemaVersion', 'nodes', 'edges'].includes(p.field)) continue;
		add(out, p.field === 'settings' ? '' : p.field.replace(/^settings\./, ''), withoutSubject(p.message, subject));
	}
	if (settings !== null && typeof settings === 'object') schemaErrors(JourneySettings, settings, 'settings', subject, out);
	return out;
}

/** Messages for exactly `path`. */
export function errorsAt(errors: FieldErrors, path: string): readonly string[] {
	return errors[path] ?? [];
}

/** Messages for `path` and everything below it (a whole branch, a filter row). */
export function errorsUnder(errors: FieldErrors, path: string): string[] {
	return Object.entries(errors).flatMap(([key, list]) => (key === path || key.startsWith(`${path}.`) ? list : []));
}
