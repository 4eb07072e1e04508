import { ENGAGEMENT_STAGES } from './engagement';
import type { Cell } from './csv';
import type { JourneyAnalytics } from './index';

/** Every table of the journey dashboard as CSV columns and rows: one definition for the exports and their tests. */
export const JOURNEY_TABLES = ['nodes', 'edges', 'messages', 'variants', 'daily', 'paths'] as const;
export type JourneyTable = (typeof JOURNEY_TABLES)[number];

const round = (x: number | null | undefined, digits = 6): number | null => (x === null || x === undefined ? null : Math.round(x * 10 ** digits) / 10 ** digits);
const sum = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
const reasons = (r: Record<string, number>) =>
	Object.entries(r)
		.sort()
		.map(([k, v]) => `${k || 'unspecified'}: ${v}`)
		.join('; ');

export function journeyTable(a: JourneyAnalytics, table: JourneyTable): { header: string[]; rows: Cell[][] } {
	switch (table) {
		case 'nodes':
			return {
				header: [
					'node_id',
					'label',
					'type',
					'channel',
					'entered_customers',
					'entered_visits',
					'in_step_now',
					'moved_on',
					'dropped',
					'converted_after',
					'conversion_rate',
					'converted_here',
					'revenue_here',
					'median_time_seconds',
					'skipped',
					'held',
					'failed'
				],
				rows: a.nodes.map((n) => [
					n.nodeId,
					n.label,
					n.type,
					n.channel,
					n.entered.customers,
					n.entered.visits,
					n.here,
					n.movedOnTotal.customers,
					n.dropped,
					n.reachedConverted,
					round(n.conversionRate),
					n.convertedHere,
					round(n.revenueHere, 2),
					n.medianTimeMs === null ? null : round(n.medianTimeMs / 1000, 1),
					sum(n.skippedBy),
					sum(n.heldBy),
					n.failed
				])
			};
		case 'edges':
			return {
				header: ['edge_id', 'source', 'target', 'branch', 'customers', 'visits', 'share'],
				rows: a.edges.map((e) => [e.edgeId, e.source, e.target, e.branch, e.customers, e.visits, round(e.share)])
			};
		case 'messages':
			return {
				header: [
					'node_id',
					'label',
					'channel',
					...ENGAGEMENT_STAGES,
					'skipped',
					'skipped_reasons',
					'held',
					'delivery_rate',
					'open_rate',
					'click_rate',
					'click_to_open_rate',
					'bounce_rate',
					'complaint_rate',
					'unsubscribe_rate'
				],
				rows: [...a.engagement.steps, ...a.engagement.channels].map((s) => [
					s.nodeId ?? '(all steps)',
					s.label,
					s.channel,
					...ENGAGEMENT_STAGES.map((st) => s.counts[st]),
					sum(s.skippedBy),
					reasons(s.skippedBy),
					sum(s.heldBy),
					round(s.rates.delivery),
					round(s.rates.open),
					round(s.rates.click),
					round(s.rates.clickToOpen),
					round(s.rates.bounce),
					round(s.rates.complaint),
					round(s.rates.unsubscribe)
				])
			};
		case 'variants':
			return {
				header: [
					'variant',
					'label',
					'control',
					'expected_share',
					'customers',
					'converted',
					'conversion_rate',
					'wilson_low',
					'wilson_high',
					'revenue',
					'difference_vs_control',
					'difference_low',
					'difference_high',
					'verdict'
				],
				rows: (a.ab?.arms ?? []).map((arm) => {
					const cmp = arm.id === 'holdout' ? null : arm.vsControl;
					return [
						arm.id,
						arm.label,
						arm.control,
						round(arm.expectedShare),
						arm.customers,
						arm.converted,
						round(arm.rate),
						round(arm.interval?.lo),
						round(arm.interval?.hi),
						round(arm.revenue, 2),
						round(cmp?.difference?.estimate),
						round(cmp?.difference?.lo),
						round(cmp?.difference?.hi),
						cmp?.status ?? null
					];
				})
			};
		case 'paths':
			return {
				header: ['path', 'customers', 'converted', 'conversion_rate'],
				rows: a.paths.top.map((p) => [p.steps.join(' > '), p.customers, p.converted, round(p.customers > 0 ? p.converted / p.customers : null)])
			};
		case 'daily':
			return { header: ['day', 'entered', 'converted', 'revenue'], rows: a.daily.map((d) => [d.day, d.entered, d.converted, round(d.revenue, 2)]) };
	}
}
