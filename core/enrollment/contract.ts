import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { JourneyDefinition } from '../graph/definition';

/**
 * Everything the web app, the worker and the workflows agree on, declared once. The web app imports this file
 * (never the workflow bodies) to start, signal and query enrollments.
 */

/** Task queue served by the worker; a deployment may override it with TEMPORAL_TASK_QUEUE. */
export const DEFAULT_TASK_QUEUE = 'omnicanal';

/**
 * Bumped when the interpreter's behaviour changes in a way old histories must not see. Each version is its own
 * workflow type (journeys in flight replay under the type that recorded them): routing starts JOURNEY_WORKFLOW.
 */
export const INTERPRETER_VERSION = 2;
export const JOURNEY_WORKFLOW = 'journeyV2';

/** One workflow per enrollment; `n` counts the customer's entries into this journey (re-entry). */
export function enrollmentWorkflowId(journeyId: string, customerId: string, n: number): string {
	return `journey:${journeyId}:${customerId}:${n}`;
}

/** A customer event as a running enrollment sees it: the id and only the properties its matchers read. */
export interface JourneyEvent {
	id: string;
	name: string;
	properties: Record<string, unknown>;
	/** Event time, ms since epoch. */
	timestamp: number;
}

export interface EnrollmentRef {
	enrollmentId: string;
	journeyId: string;
	version: number;
	customerId: string;
}

export type EnrollmentStatus = 'active' | 'completed' | 'converted' | 'exited' | 'failed';

/** What a step-log row records about one pass through a step. */
export type StepKind = 'entered' | 'completed' | 'branch' | 'held' | 'skipped' | 'failed' | 'exited' | 'converted';

export interface PathEntry {
	nodeId: string;
	at: number;
	branch?: string;
}

/** State carried across continueAsNew, so a long or looping journey keeps its place and its memory. */
export interface CarriedState {
	currentNodeId: string;
	visits: Record<string, number>;
	path: PathEntry[];
	seenEventIds: string[];
	variant?: string;
	converted: boolean;
	/** When the customer entered (ms): the goal's attribution window counts from here. */
	enteredAt: number;
}

export interface JourneyInput {
	interpreterVersion: number;
	ref: EnrollmentRef;
	/** The published version's graph, pinned: a later publish never changes a running enrollment. */
	definition: JourneyDefinition;
	entryEvent?: JourneyEvent;
	carried?: CarriedState;
	/** Hand over to a fresh run after this many history events (default in journey.ts; tests lower it). */
	continueAsNewAfter?: number;
}

export interface JourneyResult {
	status: Exclude<EnrollmentStatus, 'active'>;
	reason?: string;
	path: PathEntry[];
}

export interface EnrollmentView {
	status: EnrollmentStatus;
	currentNodeId: string;
	/** The latest steps (at most 200), oldest first. */
	path: PathEntry[];
	variant?: string;
	converted: boolean;
}

/** A customer event the enrollment listens for (routing sends only those). */
export const eventSignal = defineSignal<[JourneyEvent]>('event');
/** Ends the enrollment now: the journey was stopped, the customer erased, or an operator removed them. */
export const exitSignal = defineSignal<[{ reason: string }]>('exit');
/** Where the customer is and the path so far. */
export const stateQuery = defineQuery<EnrollmentView>('state');
