import { z } from 'zod';
import { Id, Text, issue, nodeBase } from './common';

const blank = (s: string | undefined): boolean => !s || s.trim() === '';

/**
 * What every message step says about delivery rules. `transactional` (an order ready, a receipt): exempt from
 * frequency caps and from marketing consent, no unsubscribe footer (a suppression still wins). `whenCapped`:
 * a marketing message over a frequency cap is skipped (default) or waits until the cap allows it.
 */
const delivery = {
	purpose: z.enum(['marketing', 'transactional']).optional(),
	whenCapped: z.enum(['skip', 'wait']).optional()
};

/**
 * Email from a saved template, or inline Liquid content (`subject` plus `html` and/or `text`).
 * Templates see the customer, the entry event and `offer` (the offer this journey granted last).
 */
export const SendEmailNode = z
	.object({
		...nodeBase,
		type: z.literal('sendEmail'),
		templateId: Id.optional(),
		subject: z.string().optional(),
		html: z.string().optional(),
		text: z.string().optional(),
		/** `Name <address>` or an address; the workspace default when absent. */
		from: Text.optional(),
		...delivery
	})
	.superRefine((node, ctx) => {
		const inline = !blank(node.subject) || !blank(node.html) || !blank(node.text);
		if (node.templateId !== undefined) {
			if (inline) ctx.addIssue(issue(['templateId'], 'uses both a saved template and its own content; keep only one.', 'conflicting_content'));
			return;
		}
		if (blank(node.subject)) ctx.addIssue(issue(['subject'], 'missing', 'missing_field'));
		if (blank(node.html) && blank(node.text)) ctx.addIssue(issue(['html'], 'missing', 'missing_field'));
	});
export type SendEmailNode = z.infer<typeof SendEmailNode>;

/** SMS whose `body` is a Liquid template (same variables as email). */
export const SendSmsNode = z.object({ ...nodeBase, type: z.literal('sendSms'), body: Text, ...delivery });
export type SendSmsNode = z.infer<typeof SendSmsNode>;
