import { IngestValidationError, type ValidationIssue } from './errors';
import { toStorableJson } from './json';
import { Message } from './schema';

const MAX_REPORTED = 100;

/** Parses raw messages (JSON values or objects built in code); throws `IngestValidationError` listing what is wrong. */
export function validateMessages(input: unknown): Message[] {
	if (!Array.isArray(input)) throw new IngestValidationError([{ path: [], message: 'Expected an array of messages' }]);
	const issues: ValidationIssue[] = [];
	const valid: Message[] = [];
	for (const [i, raw] of input.entries()) {
		if (issues.length >= MAX_REPORTED) break;
		const json = toStorableJson(raw, [i]);
		if (json.issues.length) {
			issues.push(...json.issues);
			continue;
		}
		const parsed = Message.safeParse(json.value);
		if (parsed.success) valid.push(parsed.data);
		else issues.push(...parsed.error.issues.map((x) => ({ path: [i, ...x.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: x.message })));
	}
	if (issues.length) throw new IngestValidationError(issues.slice(0, MAX_REPORTED));
	return valid;
}
