import { describe, expect, it } from 'vitest';
import { validateJourney } from '../../../core/graph/validate';
import { ScheduleEntry, TriggerNode } from '../../../core/graph/nodes';
import { describeSchedule, entryInstant, formatRunTime, nextScheduledRuns, runDateOf, shortestGapMs } from '../../../core/graph/schedule';
import { summaryOf } from '../../../core/graph/kinds';

const weekly = ScheduleEntry.parse({ kind: 'schedule', segmentId: 'vip', repeat: 'weekly', weekdays: ['mon', 'thu'], time: '09:00', timeZone: 'Europe/Paris' });

function journey(entry: unknown) {
	return {
		schemaVersion: 1,
		nodes: [
			{ id: 'trigger', type: 'trigger', entry },
			{ id: 'exit', type: 'exit' }
		],
		edges: [{ id: 'e', source: 'trigger', target: 'exit' }],
		settings: { reentry: { mode: 'always' }, exitCriteria: [] }
	};
}

describe('scheduled entry (pure calendar)', () => {
	it('lists the next weekly runs at 09:00 Paris time, across the end of summer time', () => {
		// Thursday 22 October 2026, 10:00 UTC; Paris leaves summer time on Sunday 25 October.
		const runs = nextScheduledRuns(weekly, {}, Date.parse('2026-10-22T10:00:00Z'), 3);
		expect(runs.map((r) => new Date(r.at).toISOString())).toEqual(['2026-10-26T08:00:00.000Z', '2026-10-29T08:00:00.000Z', '2026-11-02T08:00:00.000Z']);
		expect(runs.map((r) => r.date)).toEqual(['2026-10-26', '2026-10-29', '2026-11-02']);
		expect(formatRunTime(runs[0]!.at, 'Europe/Paris')).toBe('Mon 26 Oct 2026 09:00');
	});

	it('in each customer’s zone, starts a run when the date’s 09:00 first arrives (UTC+14) and enters each zone at its own 09:00', () => {
		const local = { ...weekly, timeIn: 'customer' as const };
		const [run] = nextScheduledRuns(local, {}, Date.parse('2026-12-01T00:00:00Z'), 1);
		expect(run!.date).toBe('2026-12-03');
		expect(new Date(run!.at).toISOString()).toBe('2026-12-02T19:00:00.000Z');
		const date = runDateOf(local, {}, run!.at);
		expect(new Date(entryInstant(local, date, 'Europe/Paris')).toISOString()).toBe('2026-12-03T08:00:00.000Z');
		expect(new Date(entryInstant(local, date, 'America/New_York')).toISOString()).toBe('2026-12-03T14:00:00.000Z');
	});

	it('runs monthly only in months that have the day, and once only on its date', () => {
		const monthly = ScheduleEntry.parse({ kind: 'schedule', segmentId: 's', repeat: 'monthly', dayOfMonth: 31, time: '08:30' });
		expect(nextScheduledRuns(monthly, { defaultTimeZone: 'UTC' }, Date.parse('2027-01-31T09:00:00Z'), 2).map((r) => r.date)).toEqual([
			'2027-03-31',
			'2027-05-31'
		]);
		const once = ScheduleEntry.parse({ kind: 'schedule', segmentId: 's', repeat: 'once', date: '2027-01-15', time: '10:00' });
		expect(nextScheduledRuns(once, { defaultTimeZone: 'Asia/Tokyo' }, Date.parse('2027-01-01T00:00:00Z'), 3).map((r) => new Date(r.at).toISOString())).toEqual([
			'2027-01-15T01:00:00.000Z'
		]);
		expect(nextScheduledRuns(once, {}, Date.parse('2027-02-01T00:00:00Z'))).toEqual([]);
	});

	it('catches up within less than the shortest gap between runs', () => {
		expect(shortestGapMs(weekly)).toBe(3 * 86_400_000);
		expect(shortestGapMs({ ...weekly, weekdays: ['fri'] })).toBe(7 * 86_400_000);
		expect(shortestGapMs({ ...weekly, repeat: 'daily' })).toBe(86_400_000);
	});

	it('describes itself on the canvas', () => {
		expect(describeSchedule(weekly)).toBe('Every Monday and Thursday at 09:00 Europe/Paris');
		expect(summaryOf(TriggerNode.parse({ id: 't', type: 'trigger', entry: { ...weekly, timeIn: 'customer' } }))).toBe(
			'Every Monday and Thursday at 09:00, each customer’s time'
		);
	});
});

describe('scheduled entry validation', () => {
	it('needs a segment, the days of a weekly schedule, and a one-off date still ahead', () => {
		const noSegment = validateJourney(journey({ kind: 'schedule', segmentId: '', repeat: 'weekly', time: '09:00' }));
		expect(noSegment.problems.map((p) => [p.code, p.field])).toEqual(
			expect.arrayContaining([
				['missing_field', 'entry.segmentId'],
				['missing_field', 'entry.weekdays']
			])
		);
		const past = validateJourney(journey({ kind: 'schedule', segmentId: 'vip', repeat: 'once', date: '2026-01-05', time: '09:00' }), {
			now: Date.parse('2026-06-01T00:00:00Z'),
			segmentIds: ['vip']
		});
		expect(past.problems).toEqual([expect.objectContaining({ code: 'schedule_in_past', nodeId: 'trigger', field: 'entry.date' })]);
		expect(past.problems[0]!.message).toMatch(/already passed/);
		const future = validateJourney(journey({ kind: 'schedule', segmentId: 'vip', repeat: 'once', date: '2026-07-05', time: '09:00' }), {
			now: Date.parse('2026-06-01T00:00:00Z'),
			segmentIds: ['vip']
		});
		expect(future.ok).toBe(true);
		const unknown = validateJourney(journey({ kind: 'schedule', segmentId: 'gone', repeat: 'daily', time: '09:00' }), { segmentIds: ['vip'] });
		expect(unknown.problems.map((p) => p.code)).toEqual(['unknown_segment']);
		const badDate = validateJourney(journey({ kind: 'schedule', segmentId: 'vip', repeat: 'once', date: '2026-02-30', time: '09:00' }));
		expect(badDate.problems.map((p) => [p.code, p.field])).toEqual([['invalid_field', 'entry.date']]);
	});
});
