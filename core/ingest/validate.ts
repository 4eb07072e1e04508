import { IngestValidationError, type ValidationIssue } from './errors';
import { toStorableJson } from './json';
import { Message } from './schema';

const MAX_REPORTED = 100;

/** A valid message and the JSON it was parsed from (what the inbox stores; parsing it again gives `message`). */
export type ValidMessage = { message: Message; json: Record<string, unknown> };

/** Parses raw messages (JSON values or objects built in code); throws `IngestValidationError` listing what is wrong. */
export function validateMessages(input: unknown): Message[] {
	return validateMessagesWithJson(input).map((v) => v.message);
}

/** As validateMessages, keeping each message's storable JSON beside it. */
export function validateMessagesWithJson(input: unknown): ValidMessage[] {
	if (!Array.isArray(input)) throw new IngestValidationError([{ path: [], message: 'Expected an array of messages' }]);
	const issues: ValidationIssue[] = [];
	const valid: ValidMessage[] = [];
	for (const [i, raw] of input.entries()) {
		if (issues.length >= MAX_REPORTED) break;
		const json = toStorableJson(raw, [i]);
		if (json.issues.length) {
			issues.push(...json.issues);
			continue;
		}
		const parsed = Message.safeParse(json.value);
		if (parsed.success) valid.push({ message: parsed.data, json: json.value as Record<string, unknown> });
		else issues.push(...parsed.error.issues.map((x) => ({ path: [i, ...x.path.map((p) => (typeof p === 'symbol' ? String(p) : p))], message: x.message })));
	}
	if (issues.length) throw new IngestValidationError(issues.slice(0, MAX_REPORTED));
	return valid;
}
