import type { z } from 'zod';
import { JourneyDefinition, JourneyEdge } from './definition';
import { JourneyNode } from './nodes';
import { JourneySettings } from './settings';
import { phraseIssue } from './validate/issues';
import { checkLoops } from './validate/loops';
import { nodeName, stubOf, type Problem } from './validate/problems';
import { checkReferences, type ValidationContext } from './validate/references';
import { checkSchedule } from './validate/schedule';
import { checkBranches, checkEdges, checkIds, checkReachability, checkTrigger } from './validate/structure';
import { createWorkspace } from './validate/workspace';

export type { ValidationContext } from './validate/references';
export { PROBLEM_CODES, type Problem, type ProblemCode } from './validate/problems';

/** `definition` is present when every part passed the schema, even if graph problems remain. */
export interface ValidationResult {
	ok: boolean;
	problems: Problem[];
	definition?: JourneyDefinition;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function path(issue: z.core.$ZodIssue): string | undefined {
	return issue.path.length ? issue.path.map(String).join('.') : undefined;
}

/** Whose issues these are: the sentence subject, the field-label scope and the ids to attach. */
interface Target {
	subject: string;
	/** The node type, or `settings` / `edge`. */
	scope: string;
	at: Pick<Problem, 'nodeId' | 'edgeId'>;
	isNode?: boolean;
}

/** Runs one schema and turns its issues into problems, each opening with the target's subject. */
function parse<T>(schema: z.ZodType<T>, raw: unknown, target: Target, out: Problem[]): T | undefined {
	const result = schema.safeParse(raw);
	if (result.success) return result.data;
	for (const issue of result.error.issues) {
		if (target.isNode && issue.path.length === 1 && issue.path[0] === 'type') {
			const kind = isRecord(raw) && typeof raw.type === 'string' ? `an unknown kind (“${raw.type}”)` : 'no kind';
			out.push({ ...target.at, field: 'type', code: 'unknown_node_type', message: `${target.subject} has ${kind}.` });
			continue;
		}
		const { code, phrase } = phraseIssue(issue, raw, target.scope);
		out.push({ ...target.at, field: path(issue), code, message: `${target.subject} ${phrase}` });
	}
	return undefined;
}

/**
 * Checks a journey before it is saved or published and reports every problem at once, worded for
 * the marketer and tied to the node or edge concerned.
 */
export function validateJourney(def: unknown, ctx: ValidationContext = {}): ValidationResult {
	if (!isRecord(def)) return { ok: false, problems: [{ code: 'invalid_definition', message: 'This is not a journey definition.' }] };
	const problems: Problem[] = [];
	if (def.schemaVersion !== 1)
		problems.push({
			code: 'unsupported_schema_version',
			field: 'schemaVersion',
			message: `This journey is saved in a format version this app can't read (${String(def.schemaVersion)}; expected 1).`
		});
	const list = (key: 'nodes' | 'edges', what: string): unknown[] => {
		if (Array.isArray(def[key])) return def[key];
		problems.push({ code: 'invalid_definition', field: key, message: `The journey has no list of ${what}.` });
		return [];
	};
	const rawNodes = list('nodes', 'steps');
	const rawEdges = list('edges', 'connections');

	let settings: JourneySettings | undefined;
	if (isRecord(def.settings)) settings = parse(JourneySettings, def.settings, { subject: 'The journey', scope: 'settings', at: {} }, problems);
	else problems.push({ code: 'missing_field', field: 'settings', message: 'The journey has no settings.' });
	const stubs = rawNodes.map(stubOf);
	const nodes = rawNodes.flatMap((raw, i) => {
		const stub = stubs[i] ?? stubOf(raw, i);
		const target = { subject: nodeName(stub), scope: stub.type ?? '', at: { nodeId: stub.id }, isNode: true };
		return parse(JourneyNode, raw, target, problems) ?? [];
	});
	const edges = rawEdges.flatMap((raw, i) => {
		const id = isRecord(raw) && typeof raw.id === 'string' ? raw.id : undefined;
		const subject = id ? `The connection “${id}”` : `Connection number ${i + 1}`;
		return parse(JourneyEdge, raw, { subject, scope: 'edge', at: { edgeId: id } }, problems) ?? [];
	});

	const ws = createWorkspace(stubs, nodes, edges, problems);
	checkIds(ws);
	const triggerId = checkTrigger(ws);
	checkEdges(ws);
	checkBranches(ws);
	if (triggerId !== undefined) checkReachability(ws, triggerId);
	checkLoops(ws);
	checkReferences(ws, ctx);
	checkSchedule(ws, settings, ctx);

	const complete = nodes.length === rawNodes.length && edges.length === rawEdges.length && def.schemaVersion === 1;
	const definition: JourneyDefinition | undefined = complete && settings !== undefined ? { schemaVersion: 1, nodes, edges, settings } : undefined;
	return { ok: problems.length === 0, problems, definition };
}

/** Thrown by `parseJourney`; the HTTP layer maps it to a 4xx with `problems` as details. */
export class InvalidJourneyError extends Error {
	constructor(readonly problems: Problem[]) {
		super(`Invalid journey: ${problems.map((p) => p.message).join(' ')}`);
		this.name = 'InvalidJourneyError';
	}
}

/** Validates stored or received JSON and returns the typed definition, or throws. */
export function parseJourney(def: unknown, ctx?: ValidationContext): JourneyDefinition {
	const result = validateJourney(def, ctx);
	if (!result.ok || !result.definition) throw new InvalidJourneyError(result.problems);
	return result.definition;
}
