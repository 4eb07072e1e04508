import { condition, setHandler } from '@temporalio/workflow';
import { eventMatches, waitForEventMatches } from '../core/graph/match';
import { durationToMs } from '../core/graph/time';
import { interestsAt } from '../core/graph/interests';
import { nextNode } from '../core/graph/graph';
import type { JourneyDefinition } from '../core/graph/definition';
import type { WaitForEventNode } from '../core/graph/nodes';
import { progress } from './proxies';
import type { ProgressUpdate, StepRecord } from '../core/enrollment/activities';
import {
	eventSignal,
	exitSignal,
	stateQuery,
	type CarriedState,
	type EnrollmentRef,
	type EnrollmentStatus,
	type JourneyEvent,
	type JourneyInput,
	type PathEntry
} from '../core/enrollment/contract';

const MAX_SEEN_EVENTS = 500;
/**
 * Enrollments started before this patch write their progress at every step they enter (one local activity and one
 * transaction each); later ones write it at durable points only — with the next action (in the action activity),
 * before a wait, at the end (with the last action when it leads to the exit) — so trigger → e-mail → SMS → exit makes
 * 2 writes instead of 5.
 */
export const PROGRESS_AT_DURABLE_POINTS = 'progress-at-durable-points';
const MAX_PATH_IN_QUERY = 200;

/** Why an enrollment ends before reaching an exit step. */
export type Interrupt = { status: 'exited' | 'converted'; reason: string };

/**
 * One enrollment's in-memory state and the handful of operations node handlers share: recording steps,
 * waiting while staying interruptible, and reacting to events. Deterministic: time is workflow time.
 */
export class Enrollment {
	readonly ref: EnrollmentRef;
	readonly def: JourneyDefinition;
	readonly entryEvent?: JourneyEvent;
	state: CarriedState;
	interrupt?: Interrupt;
	/** The wait-for-event step in progress and the event that released it. */
	private waitingFor?: WaitForEventNode;
	released?: JourneyEvent;
	private pending: StepRecord[] = [];
	/** Where the customer is, not yet written (progress at durable points only). */
	private position?: Pick<ProgressUpdate, 'currentNodeId' | 'interests'>;
	/** False while replaying a history recorded before PROGRESS_AT_DURABLE_POINTS: that history flushed at each step. */
	private readonly lazy: boolean;
	private seen: Set<string>;

	/** Interpreter 2: an action followed by the exit writes the journey's end itself (see finishAfter). */
	private readonly endsInLastAction: boolean;

	/** `progressAtDurablePoints` is asked once, here (interpreter 1 asks its patch at this point of its history). */
	constructor(input: JourneyInput, entryNodeId: string, progressAtDurablePoints: () => boolean, endsInLastAction = false) {
		this.ref = input.ref;
		this.def = input.definition;
		this.entryEvent = input.entryEvent;
		this.state = input.carried ?? {
			currentNodeId: entryNodeId,
			visits: {},
			path: [],
			seenEventIds: input.entryEvent ? [input.entryEvent.id] : [],
			converted: false,
			enteredAt: Date.now()
		};
		this.seen = new Set(this.state.seenEventIds);
		this.lazy = progressAtDurablePoints();
		this.endsInLastAction = endsInLastAction;
	}

	installHandlers(): void {
		setHandler(eventSignal, (event) => this.onEvent(event));
		setHandler(exitSignal, ({ reason }) => {
			this.interrupt ??= { status: this.state.converted ? 'converted' : 'exited', reason };
		});
		setHandler(stateQuery, () => ({
			status: this.status(),
			currentNodeId: this.state.currentNodeId,
			path: this.state.path.slice(-MAX_PATH_IN_QUERY),
			variant: this.state.variant,
			converted: this.state.converted
		}));
	}

	private status(): EnrollmentStatus {
		return this.interrupt?.status ?? 'active';
	}

	/** Goal first (a conversion is never missed), then the step waiting for it, then exit criteria. */
	private onEvent(event: JourneyEvent): void {
		if (this.seen.has(event.id)) return; // routing retries may deliver an event twice
		this.seen.add(event.id);
		this.state.seenEventIds.push(event.id);
		if (this.state.seenEventIds.length > MAX_SEEN_EVENTS) this.state.seenEventIds.splice(0, this.state.seenEventIds.length - MAX_SEEN_EVENTS);

		const goal = this.def.settings.goal;
		if (
			goal &&
			!this.state.converted &&
			event.timestamp <= this.state.enteredAt + durationToMs(goal.attributionWindow) &&
			goal.events.some((m) => eventMatches(m, event))
		) {
			this.state.converted = true;
			this.note({ nodeId: this.state.currentNodeId, kind: 'converted', reason: event.name, detail: { eventId: event.id } });
		}
		if (this.waitingFor && !this.released && waitForEventMatches(this.waitingFor, event, this.entryEvent)) {
			this.released = event;
			return;
		}
		if (this.def.settings.exitCriteria.some((m) => eventMatches(m, event))) {
			this.interrupt ??= { status: this.state.converted ? 'converted' : 'exited', reason: `exit event ${event.name}` };
		} else if (this.state.converted) {
			this.interrupt ??= { status: 'converted', reason: `goal ${event.name}` };
		}
	}

	/** Queues a step log row; it is written with the next progress update (at the next durable point). */
	note(step: Omit<StepRecord, 'at' | 'visit'> & { visit?: number }): void {
		this.pending.push({ ...step, visit: step.visit ?? this.visit(step.nodeId), at: Date.now() });
	}

	visit(nodeId: string): number {
		return this.state.visits[nodeId] ?? 0;
	}

	/** Moves the customer onto `nodeId`: counts the visit, records `entered`, publishes new interests. */
	async enter(nodeId: string, branchTaken?: string): Promise<void> {
		this.state.currentNodeId = nodeId;
		this.state.visits[nodeId] = this.visit(nodeId) + 1;
		const entry: PathEntry = { nodeId, at: Date.now(), ...(branchTaken ? { branch: branchTaken } : {}) };
		this.state.path.push(entry);
		if (this.state.path.length > MAX_PATH_IN_QUERY * 2) this.state.path.splice(0, MAX_PATH_IN_QUERY);
		this.note({ nodeId, kind: 'entered' });
		const position = { currentNodeId: nodeId, interests: interestsAt(this.def, nodeId) };
		if (this.lazy) this.position = position;
		else await this.flush(position);
	}

	/** Writes the queued rows and the position (with `extra`, which wins) in one local activity. */
	async flush(extra: Omit<ProgressUpdate, 'steps'> = {}): Promise<void> {
		const update = { steps: this.pending, ...this.position, ...extra };
		this.pending = [];
		this.position = undefined;
		await progress.recordProgress(this.ref, update);
	}

	/**
	 * A durable point: a customer who moved to a step waits there written down (and routing sees the new
	 * interests). Rows alone (a `held` before a retry) wait for the next write, as they always did.
	 */
	private async flushQueued(): Promise<void> {
		if (this.lazy && this.position) await this.flush();
	}

	/**
	 * What is queued, for an action activity to write with the action (one write for both, no local activity).
	 * Undefined while replaying an older history, which wrote progress itself when entering the step.
	 */
	takeProgress(): ProgressUpdate | undefined {
		if (!this.lazy || (this.pending.length === 0 && !this.position)) return undefined;
		const update = { steps: this.pending, ...this.position };
		this.pending = [];
		this.position = undefined;
		return update;
	}

	/**
	 * When the action `actionId` leads straight to an exit and nothing is left to wait for (no goal window, nothing
	 * queued but what the action writes first): the journey's end as the workflow would write it — the exit entered
	 * and left, the enrollment completed — for the action's activity to write once it has acted (ActionInput.finish).
	 */
	finishAfter(actionId: string): ProgressUpdate | undefined {
		if (!this.endsInLastAction || this.interrupt || this.def.settings.goal || this.pending.length > 0 || this.position) return undefined;
		const exit = nextNode(this.def, actionId);
		if (exit?.type !== 'exit') return undefined;
		const visit = this.visit(exit.id) + 1;
		const reason = exit.reason ?? 'completed';
		const at = Date.now();
		return {
			steps: [
				{ nodeId: exit.id, visit, kind: 'entered', at },
				{ nodeId: exit.id, visit, kind: 'exited', reason, at }
			],
			currentNodeId: exit.id,
			interests: { events: [], propertyPaths: [] },
			status: 'completed',
			exitReason: reason,
			variant: this.state.variant
		};
	}

	/** The action's activity wrote `end` (finishAfter's): the customer is at the exit, with nothing left to write. */
	finished(end: ProgressUpdate): { status: 'completed'; reason: string | undefined; path: PathEntry[] } {
		const exitId = end.currentNodeId!;
		this.state.currentNodeId = exitId;
		this.state.visits[exitId] = this.visit(exitId) + 1;
		this.state.path.push({ nodeId: exitId, at: Date.now() });
		this.pending = [];
		this.position = undefined;
		return { status: 'completed', reason: end.exitReason, path: this.state.path };
	}

	/** Queues again what an action failed to write (the write is idempotent: rows it did write are not doubled). */
	putBack(update: ProgressUpdate | undefined): void {
		if (!update) return;
		this.pending = [...update.steps, ...this.pending];
		if (update.currentNodeId !== undefined) this.position ??= { currentNodeId: update.currentNodeId, interests: update.interests };
	}

	/** Sleeps up to `ms`, waking early when the enrollment is interrupted. True when interrupted. */
	async sleep(ms: number): Promise<boolean> {
		if (ms > 0) {
			await this.flushQueued();
			await condition(() => this.interrupt !== undefined, ms);
		}
		return this.interrupt !== undefined;
	}

	/** Waits for an event matching `node`, at most `ms`: the event, or undefined on timeout or interrupt. */
	async waitForEvent(node: WaitForEventNode, ms: number): Promise<JourneyEvent | undefined> {
		this.waitingFor = node;
		this.released = undefined;
		await this.flushQueued();
		try {
			await condition(() => this.released !== undefined || this.interrupt !== undefined, ms);
			return this.released;
		} finally {
			this.waitingFor = undefined;
		}
	}
}
