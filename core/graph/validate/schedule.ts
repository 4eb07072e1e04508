import { nextScheduledRuns, scheduleTimeZone } from '../schedule';
import type { JourneySettings } from '../settings';
import { nameOf, report, type Workspace } from './workspace';
import type { ValidationContext } from './references';

/** A one-off scheduled entry must still be ahead when the journey is checked against the present (`ctx.now`). */
export function checkSchedule(ws: Workspace, settings: JourneySettings | undefined, ctx: ValidationContext): void {
	if (ctx.now === undefined) return;
	for (const node of ws.nodes.values()) {
		if (node.type !== 'trigger' || node.entry.kind !== 'schedule' || node.entry.repeat !== 'once') continue;
		const zoneSettings = settings ?? {};
		if (nextScheduledRuns(node.entry, zoneSettings, ctx.now, 1).length > 0) continue;
		const zone = node.entry.timeIn === 'customer' ? 'every time zone' : scheduleTimeZone(node.entry, zoneSettings);
		report(ws, 'schedule_in_past', `${nameOf(ws, node.id)} enters customers on ${node.entry.date} at ${node.entry.time} (${zone}), which has already passed.`, {
			nodeId: node.id,
			field: 'entry.date'
		});
	}
}
