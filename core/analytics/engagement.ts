import { sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import type { NodeFigures } from './funnel';
import type { Scope } from './scope';

export const ENGAGEMENT_STAGES = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'] as const;
export type Stage = (typeof ENGAGEMENT_STAGES)[number];

/**
 * The statuses that prove a message reached each stage. Statuses only move forward (core/channels/status.ts)
 * and a later one can hide an earlier one (a spam report after a click), so every event of a message counts,
 * and a message counts once per stage.
 */
export const STATUSES_OF: Record<Stage, readonly string[]> = {
	sent: ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'dropped', 'undelivered', 'spam', 'unsubscribed'],
	delivered: ['delivered', 'opened', 'clicked', 'spam', 'unsubscribed'],
	opened: ['opened', 'clicked'],
	clicked: ['clicked'],
	bounced: ['bounced', 'dropped', 'undelivered'],
	complained: ['spam'],
	unsubscribed: ['unsubscribed'],
	failed: ['failed']
};

export interface Rates {
	delivery: number | null;
	open: number | null;
	click: number | null;
	clickToOpen: number | null;
	bounce: number | null;
	complaint: number | null;
	unsubscribe: number | null;
}

export interface EngagementRow {
	/** The step, or null on a per-channel total. */
	nodeId: string | null;
	label: string;
	channel: string;
	counts: Record<Stage, number>;
	/** Step passes skipped (consent, frequency cap, no address…) and held for quiet hours, by reason (step log). */
	skippedBy: Record<string, number>;
	heldBy: Record<string, number>;
	rates: Rates;
}

const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

export function ratesOf(c: Record<Stage, number>): Rates {
	return {
		delivery: ratio(c.delivered, c.sent),
		open: ratio(c.opened, c.delivered),
		click: ratio(c.clicked, c.delivered),
		clickToOpen: ratio(c.clicked, c.opened),
		bounce: ratio(c.bounced, c.sent),
		complaint: ratio(c.complained, c.delivered),
		unsubscribe: ratio(c.unsubscribed, c.delivered)
	};
}

const zero = (): Record<Stage, number> => ({ sent: 0, delivered: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0, failed: 0 });

function addTo(target: Record<string, number>, from: Record<string, number>): void {
	for (const [k, v] of Object.entries(from)) target[k] = (target[k] ?? 0) + v;
}

/**
 * Per message step and per channel. Reads the journey's messages through messages(journey_id, node_id) and
 * their events; builder test sends (no enrollment, meta.test) never count. Version, variant and entry days
 * apply through the enrollment; the channel filter to the message.
 */
export async function engagement(db: Db, scope: Scope, nodes: readonly NodeFigures[]): Promise<{ steps: EngagementRow[]; channels: EngagementRow[] }> {
	const f = scope.filters;
	const list = (stage: Stage) => sql.raw(STATUSES_OF[stage].map((st) => `'${st}'`).join(', '));
	// Per message, whether it reached each stage (its own status or any event); then messages per stage.
	const reached = ENGAGEMENT_STAGES.map(
		(stage) =>
			sql`bool_or(${sql.raw(stage === 'sent' ? 'm.was_sent or ' : '')}m.status in (${list(stage)}) or ev.status in (${list(stage)})) as ${sql.raw(stage)}`
	);
	const counted = ENGAGEMENT_STAGES.map((stage) => sql`count(*) filter (where ${sql.raw(stage)})::text as ${sql.raw(stage)}`);
	// The enrollment is read only when a filter needs it (version, variant, entry days).
	const byEnrollment = f.version !== 'all' || !!f.variant || !!f.from || !!f.to;
	const result = await db.execute<Record<string, string>>(sql`
		with m as (
			select m.id, m.node_id, m.channel, m.status::text as status, m.sent_at is not null as was_sent
			from messages m ${byEnrollment ? sql`join enrollments e on e.id = m.enrollment_id` : sql``}
			where m.journey_id = ${scope.journeyId} and m.enrollment_id is not null and coalesce(m.meta->>'test', 'false') <> 'true'
			${f.version === 'all' ? sql`` : sql`and e.version = ${f.version}`}
			${f.variant ? sql`and coalesce(e.variant, '') = ${f.variant}` : sql``}
			${f.channel ? sql`and m.channel = ${f.channel}` : sql``}
			${f.from ? sql`and e.entered_at >= ${f.from}::date` : sql``}
			${f.to ? sql`and e.entered_at < (${f.to}::date + 1)` : sql``}
		), per_message as (
			select m.node_id, m.channel, ${sql.join(reached, sql`, `)}
			from m left join message_events ev on ev.message_id = m.id
			group by m.id, m.node_id, m.channel
		)
		select node_id, channel, ${sql.join(counted, sql`, `)} from per_message group by node_id, channel
	`);
	const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as {
		node_id: string;
		channel: string;
		[stage: string]: string;
	}[];
	const labels = new Map(nodes.map((n) => [n.nodeId, n]));
	const steps: EngagementRow[] = [];
	const seen = new Set<string>();
	for (const r of rows) {
		const node = labels.get(r.node_id);
		const counts = zero();
		for (const stage of ENGAGEMENT_STAGES) counts[stage] = Number(r[stage]);
		seen.add(r.node_id);
		steps.push({
			nodeId: r.node_id,
			label: node?.label ?? r.node_id,
			channel: r.channel,
			counts,
			skippedBy: { ...(node?.skippedBy ?? {}) },
			heldBy: { ...(node?.heldBy ?? {}) },
			rates: ratesOf(counts)
		});
	}
	// Message steps whose every pass was skipped or held still show, with their reasons.
	for (const node of nodes) {
		if (!node.channel || seen.has(node.nodeId) || (f.channel && node.channel !== f.channel)) continue;
		if (Object.keys(node.skippedBy).length === 0 && Object.keys(node.heldBy).length === 0 && node.entered.visits === 0) continue;
		steps.push({
			nodeId: node.nodeId,
			label: node.label,
			channel: node.channel,
			counts: zero(),
			skippedBy: { ...node.skippedBy },
			heldBy: { ...node.heldBy },
			rates: ratesOf(zero())
		});
	}
	const order = new Map(nodes.map((n, i) => [n.nodeId, i]));
	steps.sort((a, b) => (order.get(a.nodeId ?? '') ?? 1e9) - (order.get(b.nodeId ?? '') ?? 1e9) || a.channel.localeCompare(b.channel));

	const byChannel = new Map<string, EngagementRow>();
	for (const s of steps) {
		const c = byChannel.get(s.channel) ?? {
			nodeId: null,
			label: s.channel,
			channel: s.channel,
			counts: zero(),
			skippedBy: {},
			heldBy: {},
			rates: ratesOf(zero())
		};
		for (const stage of ENGAGEMENT_STAGES) c.counts[stage] += s.counts[stage];
		addTo(c.skippedBy, s.skippedBy);
		addTo(c.heldBy, s.heldBy);
		byChannel.set(s.channel, c);
	}
	const channels = [...byChannel.values()].map((c) => ({ ...c, rates: ratesOf(c.counts) }));
	return { steps, channels };
}
