import type { Db } from '../db/client';
import { segments } from '../db/schema/customers';
import { stubOf } from '../graph/validate/problems';
import { validateJourney, type Problem, type ValidationContext } from '../graph/validate';

/** A problem plus the name of the step it concerns (label, else id), for lists grouped by step. */
export type DraftProblem = Problem & { stepLabel?: string };
export type DraftValidation = { ok: boolean; problems: DraftProblem[] };

/** What exists in the workspace, so a journey naming a missing segment is caught before it goes live. */
export async function validationContext(db: Db): Promise<ValidationContext> {
	const rows = await db.select({ id: segments.id }).from(segments);
	return { segmentIds: rows.map((r) => r.id), now: Date.now() };
}

/** The labels of a draft's steps by id, read defensively: a draft may be any JSON. */
export function stepLabels(def: unknown): Map<string, string> {
	const raw = typeof def === 'object' && def !== null ? (def as { nodes?: unknown }).nodes : undefined;
	const labels = new Map<string, string>();
	if (!Array.isArray(raw)) return labels;
	raw.forEach((node, i) => {
		const stub = stubOf(node, i);
		if (stub.id) labels.set(stub.id, stub.label?.trim() || stub.id);
	});
	return labels;
}

export function withStepLabels(def: unknown, problems: readonly Problem[]): DraftProblem[] {
	const labels = stepLabels(def);
	return problems.map((p) => {
		const stepLabel = p.nodeId === undefined ? undefined : labels.get(p.nodeId);
		return stepLabel === undefined ? p : { ...p, stepLabel };
	});
}

export async function validateDefinition(db: Db, def: unknown): Promise<DraftValidation> {
	const result = validateJourney(def, await validationContext(db));
	return { ok: result.ok, problems: withStepLabels(def, result.problems) };
}
