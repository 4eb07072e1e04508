import { and, eq, gte, lte, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { analyticsEngagementDaily } from '../db/schema/analytics';
import type { NodeFigures } from './funnel';
import type { Scope } from './scope';

export const ENGAGEMENT_STAGES = ['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'] as const;
export type Stage = (typeof ENGAGEMENT_STAGES)[number];

/**
 * The statuses that prove a message reached each stage. Statuses only move forward (core/channels/status.ts)
 * and a later one can hide an earlier one (a spam report after a click), so every event of a message counts,
 * and a message counts once per stage. The database applies the same table (analytics_stage_bits, migration
 * 0009): a test holds the two equal.
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
 * Per message step and per channel, from analytics_engagement_daily (kept by triggers on messages, their events and
 * enrollments: see the migration 0009_analytics_engagement and core/analytics/README.md): a range of its primary key
 * summed per (node, channel, stage), never the messages themselves. Version, variant and entry days are columns of
 * it, as in the step rollups; the channel filter applies to the message's channel.
 */
export async function engagement(db: Db, scope: Scope, nodes: readonly NodeFigures[]): Promise<{ steps: EngagementRow[]; channels: EngagementRow[] }> {
	const f = scope.filters;
	const t = analyticsEngagementDaily;
	const sums = await db
		.select({ nodeId: t.nodeId, channel: t.channel, stage: t.stage, messages: sql<string>`sum(${t.messages})` })
		.from(t)
		.where(
			and(
				eq(t.journeyId, scope.journeyId),
				f.version === 'all' ? undefined : eq(t.version, f.version),
				f.variant ? eq(t.variant, f.variant) : undefined,
				f.from ? gte(t.day, f.from) : undefined,
				f.to ? lte(t.day, f.to) : undefined,
				f.channel ? eq(t.channel, f.channel) : undefined
			)
		)
		.groupBy(t.nodeId, t.channel, t.stage)
		.having(sql`sum(${t.messages}) <> 0`);
	const rows = new Map<string, { nodeId: string; channel: string; counts: Record<Stage, number> }>();
	for (const r of sums) {
		const id = JSON.stringify([r.nodeId, r.channel]);
		const row = rows.get(id) ?? { nodeId: r.nodeId, channel: r.channel, counts: zero() };
		if ((ENGAGEMENT_STAGES as readonly string[]).includes(r.stage)) row.counts[r.stage as Stage] = Number(r.messages);
		rows.set(id, row);
	}
	const labels = new Map(nodes.map((n) => [n.nodeId, n]));
	const steps: EngagementRow[] = [];
	const seen = new Set<string>();
	for (const { nodeId, channel, counts } of rows.values()) {
		const node = labels.get(nodeId);
		seen.add(nodeId);
		steps.push({
			nodeId,
			label: node?.label ?? nodeId,
			channel,
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
