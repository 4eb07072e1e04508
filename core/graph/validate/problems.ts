import { isNodeType, NODE_KINDS } from '../kinds';

/** One thing to fix before a journey can be published, worded for the marketer. */
export interface Problem {
	nodeId?: string;
	edgeId?: string;
	/** Dotted path of the offending field inside the node, edge or settings (`variants.1.weight`). */
	field?: string;
	/** The output (edge `sourceHandle`) concerned, for problems about a node's outputs. */
	branch?: string;
	code: ProblemCode;
	message: string;
}

export const PROBLEM_CODES = [
	// the document as a whole
	'invalid_definition',
	'unsupported_schema_version',
	// a field of a node, an edge or the settings
	'unknown_node_type',
	'missing_field',
	'invalid_field',
	'invalid_time_of_day',
	'invalid_time_zone',
	'invalid_split_weight',
	'invalid_holdout',
	'invalid_entry_window',
	'conflicting_content',
	'duplicate_branch_id',
	'reserved_branch_id',
	'invalid_edge',
	// the graph
	'duplicate_node_id',
	'duplicate_edge_id',
	'missing_trigger',
	'multiple_triggers',
	'edge_unknown_source',
	'edge_unknown_target',
	'edge_unknown_handle',
	'edge_from_exit',
	'edge_into_trigger',
	'duplicate_branch_edge',
	'missing_branch',
	'unreachable_node',
	'loop_without_wait',
	// references between steps and to the workspace
	'invalid_reference',
	'entry_property_unavailable',
	'untrackable_engagement',
	'unknown_template',
	'unknown_segment',
	'schedule_in_past'
] as const;
export type ProblemCode = (typeof PROBLEM_CODES)[number];

export function isProblemCode(value: unknown): value is ProblemCode {
	return (PROBLEM_CODES as readonly unknown[]).includes(value);
}

/** What the checks know about a node, even one that failed the schema. */
export interface NodeStub {
	index: number;
	id?: string;
	type?: string;
	label?: string;
}

/** `The SMS step “Reminder”`: the label when there is one, else the id. */
export function nodeName(node: NodeStub): string {
	const kind = isNodeType(node.type) ? NODE_KINDS[node.type].noun : 'step';
	const name = node.label?.trim() || node.id;
	return name ? `The ${kind} “${name}”` : `Step number ${node.index + 1}`;
}

/** Reads id, type and label without trusting the shape. */
export function stubOf(raw: unknown, index: number): NodeStub {
	const rec = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
	const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
	return { index, id: str(rec.id), type: str(rec.type), label: str(rec.label) };
}

/** `The email step “X”` → `the email step “X”`, for use inside a sentence. */
export function lower(name: string): string {
	return name.startsWith('The ') ? `the ${name.slice(4)}` : name;
}
