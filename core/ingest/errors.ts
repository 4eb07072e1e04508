export type IssuePath = (string | number)[];
export type ValidationIssue = { path: IssuePath; message: string };

/** The messages are not valid: nothing was written. Paths start with the message's index. */
export class IngestValidationError extends Error {
	override name = 'IngestValidationError';
	constructor(readonly issues: ValidationIssue[]) {
		super(
			`Invalid messages: ${issues
				.slice(0, 3)
				.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
				.join('; ')}`
		);
	}
}
