import { index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * STOP/START texts already applied, one row per Twilio MessageSid. A replayed webhook (same SID, still validly
 * signed: Twilio's signature has no timestamp) finds its row and changes nothing, and a keyword older than the
 * number's latest one never overrides it. The number is kept only as its keyed hash (core/privacy/keyed-hash.ts),
 * so this table names nobody.
 */
export const smsKeywords = pgTable(
	'sms_keywords',
	{
		messageSid: text('message_sid').primaryKey(),
		numberHash: text('number_hash').notNull(),
		keyword: text('keyword').$type<'stop' | 'start'>().notNull(),
		/** When the text was sent (Twilio's inbound webhook carries no time: when it first reached us). */
		sentAt: timestamp('sent_at', { withTimezone: true }).notNull()
	},
	(t) => [index('sms_keywords_number_idx').on(t.numberHash, t.sentAt)]
);
