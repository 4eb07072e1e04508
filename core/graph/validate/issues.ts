import type { z } from 'zod';
import { getPath } from '../match';
import { isProblemCode, type ProblemCode } from './problems';

interface Field {
	label: string;
	code?: ProblemCode;
	hint?: string;
}

const TIME: Field = { label: 'time of day', code: 'invalid_time_of_day', hint: 'use a 24-hour time like 09:30' };
const ZONE: Field = { label: 'time zone', code: 'invalid_time_zone', hint: 'use a zone name like Europe/Paris' };
const INSTANT: Field = { label: 'date and time', hint: 'use a full date and time with its time zone' };

// Keyed by the field name, or by "parent.field" where the same name means different things.
const FIELDS: Record<string, Field> = {
	body: { label: 'message text' },
	subject: { label: 'subject' },
	html: { label: 'email body' },
	text: { label: 'plain-text body' },
	templateId: { label: 'email template' },
	from: { label: 'sender' },
	type: { label: 'kind' },
	entry: { label: 'entry rule' },
	event: { label: 'event name' },
	segmentId: { label: 'segment' },
	mode: { label: 'wait type' },
	'reentry.mode': { label: 're-entry rule' },
	amount: { label: 'amount', hint: 'use a whole number above 0' },
	unit: { label: 'time unit' },
	until: INSTANT,
	time: TIME,
	'quietHours.start': { ...TIME, label: 'quiet hours start' },
	'quietHours.end': { ...TIME, label: 'quiet hours end' },
	'entryWindow.start': { ...INSTANT, label: 'entry window start' },
	'entryWindow.end': { ...INSTANT, label: 'entry window end' },
	weekdays: { label: 'days of the week' },
	date: { label: 'date', hint: 'use a date like 2026-12-07' },
	dayOfMonth: { label: 'day of the month', hint: 'use a day from 1 to 31' },
	repeat: { label: 'repeat choice' },
	timeIn: { label: 'time zone choice' },
	timeZone: ZONE,
	fallbackTimeZone: ZONE,
	defaultTimeZone: ZONE,
	timeout: { label: 'timeout' },
	matchEntryProperty: { label: 'matching property' },
	path: { label: 'property' },
	op: { label: 'comparison' },
	match: { label: 'all/any choice' },
	nodeId: { label: 'referenced step' },
	state: { label: 'offer state' },
	status: { label: 'message status' },
	within: { label: 'time window' },
	weight: { label: 'weight', code: 'invalid_split_weight', hint: 'use a number above 0' },
	holdoutPercent: { label: 'holdout percentage', code: 'invalid_holdout', hint: 'use a number from 0 to 99' },
	provider: { label: 'ad platform' },
	audienceId: { label: 'audience' },
	action: { label: 'add/remove choice' },
	value: { label: 'value' },
	'grantOffer.value': { label: 'discount value' },
	currency: { label: 'currency', hint: 'use a code like EUR' },
	validFor: { label: 'validity period' },
	codePrefix: { label: 'code prefix', hint: 'use at most 12 letters, digits or dashes' },
	instructions: { label: 'instructions for store staff' },
	storeId: { label: 'store' },
	offerNodeId: { label: 'offer step' },
	url: { label: 'URL', hint: 'use a full http:// or https:// address' },
	set: { label: 'traits to set or remove' },
	label: { label: 'name' },
	elseLabel: { label: 'name for “everyone else”' },
	period: { label: 're-entry period' },
	attributionWindow: { label: 'attribution window' },
	maxConcurrentEnrollments: { label: 'limit on customers at once', hint: 'use a whole number above 0' },
	sourceHandle: { label: 'output' },
	source: { label: 'starting step' },
	target: { label: 'destination step' }
};

// Lists whose items get named in the message ("an invalid variant weight").
const ITEMS: Record<string, string> = {
	filters: 'filter',
	conditions: 'condition',
	branches: 'branch',
	variants: 'variant',
	exitCriteria: 'exit rule',
	events: 'goal event',
	frequencyCaps: 'frequency cap'
};

function describe(path: readonly PropertyKey[], scope: string): Field {
	const keys = path.filter((k): k is string => typeof k === 'string');
	const key = keys[keys.length - 1] ?? '';
	const parent = keys[keys.length - 2] ?? scope;
	const field = FIELDS[`${parent}.${key}`] ?? FIELDS[`${scope}.${key}`] ?? FIELDS[key] ?? { label: key || 'content' };
	const item = [...keys.slice(0, -1)].reverse().find((k) => ITEMS[k] !== undefined);
	return item ? { ...field, label: `${ITEMS[item]} ${field.label}` } : field;
}

function isBlank(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/**
 * Turns one zod issue into a code and the predicate of a sentence ("has no message text.");
 * the caller puts the subject in front. `scope` is the node type, or `settings`/`edge`.
 */
export function phraseIssue(issue: z.core.$ZodIssue, raw: unknown, scope: string): { code: ProblemCode; phrase: string } {
	const field = describe(issue.path, scope);
	const value = issue.path.length ? getPath(raw, issue.path.map(String).join('.')) : raw;
	const params = issue.code === 'custom' ? issue.params : undefined;
	const custom = params?.code;
	const missing =
		(isProblemCode(custom) && issue.message === 'missing') ||
		(custom === undefined && isBlank(value)) ||
		(issue.code === 'too_small' && Array.isArray(value) && value.length === 0);
	if (missing) return { code: 'missing_field', phrase: `has no ${field.label}.` };
	if (isProblemCode(custom)) return { code: custom, phrase: issue.message };
	if (issue.code === 'unrecognized_keys') return { code: 'invalid_field', phrase: `has unexpected fields (${issue.keys.join(', ')}).` };
	// An enum, or a discriminated union whose tag matched nothing: the value itself is the problem.
	const notAnOption = issue.code === 'invalid_value' || (issue.code === 'invalid_union' && issue.errors.length === 0);
	const hint = field.hint ? `: ${field.hint}` : notAnOption ? ` (“${String(value)}” is not an option)` : '';
	return { code: field.code ?? 'invalid_field', phrase: `has an invalid ${field.label}${hint}.` };
}
