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

/** A Twilio Content API template SID (`HX` + 32 hex), as the Content Editor shows it. */
export const ContentSid = z.string().regex(/^HX[0-9a-fA-F]{32}$/, 'expected a Content SID like HX0123… (34 characters)');

/**
 * An approved WhatsApp template (Twilio Content API): `variables` fill its placeholders by key ("1", "2" or
 * named), each a Liquid template with the same variables as the body.
 */
export const WhatsAppTemplate = z.object({
	contentSid: ContentSid,
	variables: z.record(z.string().regex(/^[A-Za-z0-9_]{1,50}$/, 'letters, digits or _'), z.string().max(1024)).optional()
});
export type WhatsAppTemplate = z.infer<typeof WhatsAppTemplate>;

/**
 * WhatsApp through Twilio. Inside the 24-hour customer-service window (the customer wrote to us in the last 24 h)
 * the free-form `body` is sent; outside it only an approved `template` may be. A step without a template whose
 * customer's window is closed is skipped (`outside_24h_window`), never sent.
 */
export const SendWhatsAppNode = z
	.object({ ...nodeBase, type: z.literal('sendWhatsApp'), body: z.string().max(4096).optional(), template: WhatsAppTemplate.optional(), ...delivery })
	.superRefine((node, ctx) => {
		if (blank(node.body) && !node.template) ctx.addIssue(issue(['body'], 'missing', 'missing_field'));
	});
export type SendWhatsAppNode = z.infer<typeof SendWhatsAppNode>;

/**
 * A web push notification to every browser the customer subscribed in the shop: `title`, `body` and the `url`
 * a click opens are Liquid templates (same variables as e-mail); `url` may be relative to the public URL.
 */
export const SendPushNode = z.object({
	...nodeBase,
	type: z.literal('sendPush'),
	title: Text,
	body: Text,
	url: z.string().max(2000).optional(),
	...delivery
});
export type SendPushNode = z.infer<typeof SendPushNode>;
