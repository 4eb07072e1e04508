import type { ScheduleEntry } from '../graph/nodes';

/**
 * The scheduled-entry contract: the Temporal Schedule that core/scheduling keeps per journey starts the
 * `scheduledEntry` workflow (workflows/scheduled-entry.ts) at each run; its activities live in
 * worker/activities/scheduled-entry.ts.
 */

export const SCHEDULED_ENTRY_WORKFLOW = 'scheduledEntry';

/** One Temporal Schedule per journey. */
export function journeyScheduleId(journeyId: string): string {
	return `journey-schedule:${journeyId}`;
}

/** The runs' workflow id; the schedule appends each run's nominal time (`…-2026-12-07T08:00:00Z`). */
export function scheduledRunWorkflowId(journeyId: string): string {
	return `scheduled-entry:${journeyId}`;
}

/** Every customer entered by one run shares this entry id, so a retried page never enrols anyone twice. */
export function scheduledEntryEventId(journeyId: string, nominalTime: number): string {
	return `schedule:${journeyId}:${new Date(nominalTime).toISOString()}`;
}

export interface ScheduledEntryInput {
	journeyId: string;
	/** The run's nominal time (ms); runs the schedule starts read it from Temporal, tests and backfills may pass it. */
	nominalTime?: number;
	/** Customers per enrolment activity (default 200). */
	pageSize?: number;
}

/** Which members a page covers: all of them, or those whose profile zone is one of `zones` (`withoutZone`: none set). */
export type ZoneFilter = { zones: string[]; withoutZone: boolean };

/** Why a member was not entered (core/routing's `EnrolResult` reasons). */
export type RunRefusal = 'outside_entry_window' | 'already_enrolled' | 'reentry_not_allowed' | 'journey_full';

export interface RunPlan {
	/** `false`: the journey is not live and scheduled (paused, stopped, archived, or its trigger changed). */
	go: boolean;
	reason?: string;
	entry?: ScheduleEntry;
	/** The journey's zone for this schedule (and for customers without one). */
	timeZone?: string;
	/** Members counted up to this instant (ms) belong to the run. */
	snapshotAt?: number;
	/** Customer mode: the distinct profile zones among the members (`null` = none set). */
	zones?: (string | null)[];
}

export interface PageInput {
	journeyId: string;
	nominalTime: number;
	snapshotAt: number;
	segmentId: string;
	filter?: ZoneFilter;
	/** Customer id to continue after (pages go in customer-id order). */
	after?: string;
	limit: number;
}

export interface PageResult {
	entered: number;
	/** Already entered by this run (a retried page or run). */
	again: number;
	refused: Partial<Record<RunRefusal, number>>;
	/** Set when more members may follow. */
	next?: string;
	/** The journey stopped being live mid-run: enter no one else. */
	stopped?: string;
}

export interface ScheduledEntryResult {
	nominalTime: number;
	skipped?: string;
	entered: number;
	again: number;
	refused: Partial<Record<RunRefusal, number>>;
}

export interface ScheduledEntryActivities {
	/** Checks the journey is live with a scheduled trigger, refreshes the segment, and lists members' zones when needed. */
	planScheduledRun(input: { journeyId: string; nominalTime: number }): Promise<RunPlan>;
	/** Enters one page of the run's members into the journey's live version (re-entry rules apply). */
	enterScheduledPage(input: PageInput): Promise<PageResult>;
}
