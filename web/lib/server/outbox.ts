import { and, count, desc, eq, sql, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '$core/db/client';
import { customers } from '$core/db/schema/customers';
import { enrollments, journeys, journeyVersions } from '$core/db/schema/journeys';
import { messages, type Channel, type MessageStatus } from '$core/db/schema/messages';

/*
 * The Outbox page's reads: what the product sent, or — without provider credentials — would have sent. The
 * embedded default writes every message with provider `outbox`, so this page is where a demo's e-mails and SMS
 * are read. Paged and filtered in SQL: the table grows with every send.
 */

export const OUTBOX_CHANNELS = ['email', 'sms', 'whatsapp', 'push', 'ads', 'webhook', 'store'] as const satisfies readonly Channel[];

export const OutboxQuery = z.object({
	/** `outbox`: only what stayed on this machine; `all`: every provider (SendGrid, Twilio, ad platforms…). */
	provider: z.enum(['outbox', 'all']).default('outbox'),
	channel: z.enum(OUTBOX_CHANNELS).optional(),
	/** `unknown`: sends whose answer was lost and that the provider could not account for, for a person to check. */
	status: z.enum(['unknown']).optional(),
	page: z.coerce.number().int().min(1).max(100_000).default(1),
	pageSize: z.coerce.number().int().min(5).max(100).default(25)
});
export type OutboxQuery = z.infer<typeof OutboxQuery>;

export type OutboxRow = {
	id: string;
	createdAt: Date;
	channel: Channel;
	provider: string;
	to: string;
	subject: string | null;
	/** Plain text: HTML e-mails show their text part (or the HTML without tags). */
	text: string;
	status: MessageStatus;
	error: string | null;
	customerId: string;
	customerName: string | null;
	journeyId: string | null;
	journeyName: string | null;
	nodeId: string | null;
	stepLabel: string | null;
};

export type OutboxPage = { items: OutboxRow[]; total: number; page: number; pageSize: number; /** Every provider, every channel. */ unknownTotal: number };

/** Tags out, entities that matter in e-mail copy decoded, whitespace collapsed: enough for a preview. */
export function htmlToText(html: string): string {
	return html
		.replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, ' ')
		.replace(/<br\s*\/?>|<\/(p|div|li|h\d|tr)>/gi, '\n')
		.replace(/<[^>]+>/g, ' ')
		.replace(/&nbsp;/g, ' ')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&quot;/g, '"')
		.replace(/&#39;/g, "'")
		.replace(/&amp;/g, '&')
		.replace(/[ \t]+/g, ' ')
		.replace(/\s*\n\s*/g, '\n')
		.trim();
}

/** A WhatsApp template as sent (or as it would go): its Content SID and filled variables. */
function templateText(meta: Record<string, unknown>): string | null {
	const template = meta.template as { contentSid?: string; variables?: Record<string, string> } | undefined;
	if (!template?.contentSid) return null;
	const vars = Object.entries(template.variables ?? {}).map(([k, v]) => `{{${k}}} = ${v}`);
	return [`Template ${template.contentSid}`, ...vars].join('\n');
}

function textOf(body: string, meta: Record<string, unknown>): string {
	// WhatsApp: the template went out when the free text could not (outside the 24-hour window, or no text).
	if (meta.template && (meta.mode === 'template' || !body.trim())) return templateText(meta) ?? body;
	if (meta.format !== 'html') return body;
	return typeof meta.text === 'string' && meta.text.trim() ? meta.text : htmlToText(body);
}

export async function listOutbox(db: Db, q: OutboxQuery): Promise<OutboxPage> {
	const where: SQL[] = [];
	if (q.provider === 'outbox') where.push(eq(messages.provider, 'outbox'));
	if (q.channel) where.push(eq(messages.channel, q.channel));
	if (q.status) where.push(eq(messages.status, q.status));
	const filter = where.length ? and(...where) : undefined;
	const [totalRow] = await db.select({ n: count() }).from(messages).where(filter);
	const [unknownRow] = await db.select({ n: count() }).from(messages).where(eq(messages.status, 'unknown'));
	// The step's label as the marketer named it, from the version the enrollment runs (nodes are a JSON array).
	const stepLabel = sql<
		string | null
	>`(select n.node->>'label' from jsonb_array_elements(${journeyVersions.definition}->'nodes') as n(node) where n.node->>'id' = ${messages.nodeId} limit 1)`;
	const rows = await db
		.select({
			id: messages.id,
			createdAt: messages.createdAt,
			channel: messages.channel,
			provider: messages.provider,
			to: messages.to,
			subject: messages.subject,
			body: messages.body,
			meta: messages.meta,
			status: messages.status,
			error: messages.error,
			customerId: messages.customerId,
			customerName: sql<string | null>`coalesce(${customers.traits}->>'name', ${customers.traits}->>'email')`,
			journeyId: messages.journeyId,
			journeyName: journeys.name,
			nodeId: messages.nodeId,
			stepLabel
		})
		.from(messages)
		.leftJoin(customers, eq(customers.id, messages.customerId))
		.leftJoin(journeys, eq(journeys.id, messages.journeyId))
		.leftJoin(enrollments, eq(enrollments.id, messages.enrollmentId))
		.leftJoin(journeyVersions, and(eq(journeyVersions.journeyId, enrollments.journeyId), eq(journeyVersions.version, enrollments.version)))
		.where(filter)
		.orderBy(desc(messages.createdAt), desc(messages.id))
		.limit(q.pageSize)
		.offset((q.page - 1) * q.pageSize);
	const items = rows.map(({ body, meta, ...r }) => ({ ...r, text: textOf(body, meta) }));
	return { items, total: totalRow?.n ?? 0, page: q.page, pageSize: q.pageSize, unknownTotal: unknownRow?.n ?? 0 };
}
