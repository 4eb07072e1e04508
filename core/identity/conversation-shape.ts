import { z } from 'zod';

/** The `conversation_message` event and the form that records one line (pure: the browser validates with it too). */
export const CONVERSATION_EVENT = 'conversation_message';

export const CONVERSATION_CHANNELS = ['chat', 'phone', 'email', 'store', 'social'] as const;
export type ConversationChannel = (typeof CONVERSATION_CHANNELS)[number];

/** What the customer page's form (and anyone recording a line for a known customer) sends. */
export const ConversationInput = z.object({
	/** Absent: a new conversation. */
	conversationId: z
		.string()
		.trim()
		.max(100)
		.regex(/^[\w:.-]+$/, 'Use letters, digits, dashes, dots or colons.')
		.optional()
		.or(z.literal('').transform(() => undefined)),
	channel: z.enum(CONVERSATION_CHANNELS, { message: 'Choose how you talked: chat, phone, e-mail, store or social.' }),
	author: z.enum(['advisor', 'customer']).default('advisor'),
	text: z.string().trim().min(1, 'Write what was said or advised.').max(5_000, 'Keep a line under 5,000 characters.'),
	summary: z
		.string()
		.trim()
		.max(1_000, 'Keep the summary under 1,000 characters.')
		.optional()
		.transform((s) => s || undefined),
	topic: z
		.string()
		.trim()
		.max(120, 'Keep the topic short.')
		.optional()
		.transform((s) => s || undefined)
});
export type ConversationInput = z.input<typeof ConversationInput>;
