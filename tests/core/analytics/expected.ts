import type { Scenario, RawEnrollment } from './fixture';

/**
 * The figures computed on their own from the scenario's raw rows, in plain JS (no code from core/analytics),
 * for comparison with the rollup-backed results.
 */
export interface Slice {
	version?: number;
	variant?: string;
	channel?: string;
	from?: string;
	to?: string;
}

const LEAVE = ['completed', 'branch', 'skipped', 'failed'];

export function inSlice(sc: Scenario, slice: Slice): RawEnrollment[] {
	return sc.enrollments.filter((e) => {
		const day = e.enteredAt.toISOString().slice(0, 10);
		return (
			(slice.version === undefined || e.version === slice.version) &&
			(slice.variant === undefined || e.variant === slice.variant) &&
			(!slice.from || day >= slice.from) &&
			(!slice.to || day <= slice.to)
		);
	});
}

export function expectedFigures(sc: Scenario, slice: Slice) {
	const scope = inSlice(sc, slice);
	const ids = new Set(scope.map((e) => e.id));
	const steps = sc.steps.filter((s) => ids.has(s.enrollmentId));
	const converted = new Set(steps.filter((s) => s.kind === 'converted').map((s) => s.enrollmentId));
	const nodeIds = [...new Set(sc.steps.map((s) => s.nodeId))];
	const nodes: Record<
		string,
		{
			enteredCustomers: number;
			enteredVisits: number;
			here: number;
			movedOn: Record<string, number>;
			dropped: number;
			reachedConverted: number;
			convertedHere: number;
			revenueHere: number;
			skippedBy: Record<string, number>;
			heldBy: Record<string, number>;
			durations: number[];
		}
	> = {};
	for (const nodeId of nodeIds) {
		const at = steps.filter((s) => s.nodeId === nodeId);
		const entered = at.filter((s) => s.kind === 'entered');
		const movedOn: Record<string, number> = {};
		for (const s of at.filter((s) => LEAVE.includes(s.kind) && s.visit === 1)) movedOn[s.branch ?? ''] = (movedOn[s.branch ?? ''] ?? 0) + 1;
		const here = scope.filter((e) => e.status === 'active' && e.currentNodeId === nodeId).length;
		const dropped = scope.filter((e) => ['exited', 'completed', 'failed'].includes(e.status) && e.currentNodeId === nodeId).length;
		if (nodeId === 'trigger')
			movedOn[''] = new Set(entered.map((s) => s.enrollmentId)).size - here - scope.filter((e) => e.status !== 'active' && e.currentNodeId === nodeId).length;
		const conv = at.filter((s) => s.kind === 'converted');
		const skippedBy: Record<string, number> = {};
		for (const s of at.filter((s) => s.kind === 'skipped')) skippedBy[s.reason!] = (skippedBy[s.reason!] ?? 0) + 1;
		const heldBy: Record<string, number> = {};
		for (const s of at.filter((s) => s.kind === 'held')) heldBy[s.reason!] = (heldBy[s.reason!] ?? 0) + 1;
		const durations = at
			.filter((s) => LEAVE.includes(s.kind))
			.map((s) => s.at - entered.find((x) => x.enrollmentId === s.enrollmentId && x.visit === s.visit)!.at);
		nodes[nodeId] = {
			enteredCustomers: new Set(entered.filter((s) => s.visit === 1).map((s) => s.enrollmentId)).size,
			enteredVisits: entered.length,
			here,
			movedOn,
			dropped,
			reachedConverted: new Set(entered.filter((s) => converted.has(s.enrollmentId)).map((s) => s.enrollmentId)).size,
			convertedHere: conv.length,
			revenueHere: conv.reduce((sum, s) => sum + sc.orders.get(s.eventId!)!.total, 0),
			skippedBy,
			heldBy,
			durations
		};
	}
	const convSteps = steps.filter((s) => s.kind === 'converted');
	const kpis = {
		entered: new Set(steps.filter((s) => s.kind === 'entered' && s.nodeId === 'trigger').map((s) => s.enrollmentId)).size,
		active: scope.filter((e) => e.status === 'active').length,
		converted: convSteps.length,
		revenue: Math.round(convSteps.reduce((sum, s) => sum + sc.orders.get(s.eventId!)!.total, 0) * 100) / 100
	};

	// Engagement: a message "reached" a stage when its status or any of its events shows it.
	const msgs = sc.messages.filter((m) => !m.test && m.enrollmentId && ids.has(m.enrollmentId) && (!slice.channel || m.channel === slice.channel));
	const engagement: Record<string, Record<string, number>> = {};
	for (const m of msgs) {
		const all = new Set<string>([m.status, ...m.events]);
		const has = (...statuses: string[]) => statuses.some((s) => all.has(s));
		const row = (engagement[m.nodeId] ??= { sent: 0, delivered: 0, opened: 0, clicked: 0, bounced: 0, complained: 0, unsubscribed: 0, failed: 0 });
		if (m.sent || has('sent', 'delivered', 'opened', 'clicked', 'bounced', 'dropped', 'undelivered', 'spam', 'unsubscribed')) row.sent!++;
		if (has('delivered', 'opened', 'clicked', 'spam', 'unsubscribed')) row.delivered!++;
		if (has('opened', 'clicked')) row.opened!++;
		if (has('clicked')) row.clicked!++;
		if (has('bounced', 'dropped', 'undelivered')) row.bounced!++;
		if (has('spam')) row.complained!++;
		if (has('unsubscribed')) row.unsubscribed!++;
		if (has('failed')) row.failed!++;
	}

	const arms: Record<string, { customers: number; converted: number }> = {};
	for (const arm of ['a', 'b', 'holdout']) {
		const inArm = new Set(steps.filter((s) => s.nodeId === 'split' && s.kind === 'branch' && s.branch === arm).map((s) => s.enrollmentId));
		arms[arm] = { customers: inArm.size, converted: [...inArm].filter((id) => converted.has(id)).length };
	}

	const daily: Record<string, { entered: number; converted: number }> = {};
	for (const e of scope) {
		const day = e.enteredAt.toISOString().slice(0, 10);
		const d = (daily[day] ??= { entered: 0, converted: 0 });
		d.entered++;
		if (converted.has(e.id)) d.converted++;
	}
	return { nodes, kpis, engagement, arms, daily };
}

/** First/last/linear credit per channel, from the raw messages and conversions (every touch is within 30 days). */
export function expectedAttribution(sc: Scenario) {
	const byEnrollment = new Map(sc.enrollments.map((e) => [e.id, e]));
	const credit: Record<string, { first: number; last: number; linear: number }> = {};
	let untouched = 0;
	const conversions = sc.steps.filter((s) => s.kind === 'converted');
	for (const c of conversions) {
		const customerId = byEnrollment.get(c.enrollmentId)!.customerId;
		const touches = sc.messages
			.filter((m) => !m.test && m.customerId === customerId && m.sentAt !== null && m.sentAt <= c.at)
			.sort((a, b) => a.sentAt! - b.sentAt!);
		if (touches.length === 0) {
			untouched++;
			continue;
		}
		const row = (ch: string) => (credit[ch] ??= { first: 0, last: 0, linear: 0 });
		row(touches[0]!.channel).first++;
		row(touches.at(-1)!.channel).last++;
		for (const t of touches) row(t.channel).linear += 1 / touches.length;
	}
	return { conversions: conversions.length, untouched, credit };
}

/** Paths of ended enrollments (entered steps in order), and a chosen path's funnel, from the raw rows. */
export function expectedPaths(sc: Scenario, slice: Slice, chosen: string[]) {
	const ended = inSlice(sc, slice).filter((e) => e.status !== 'active');
	const counts = new Map<string, { customers: number; converted: number }>();
	const reached = chosen.map(() => 0);
	for (const e of ended) {
		const path = sc.steps
			.filter((s) => s.enrollmentId === e.id && s.kind === 'entered')
			.sort((a, b) => a.at - b.at)
			.map((s) => s.nodeId);
		const key = path.join(' > ');
		const c = counts.get(key) ?? { customers: 0, converted: 0 };
		c.customers++;
		if (e.status === 'converted') c.converted++;
		counts.set(key, c);
		let i = 0;
		for (const step of path) if (i < chosen.length && step === chosen[i]) reached[i++]!++;
	}
	return { counts, reached };
}
