import type { ConditionContext, ConditionNeeds } from '../graph/conditions';
import type { Interests } from '../graph/interests';
import type {
	AdAudienceNode,
	GrantOfferNode,
	SendEmailNode,
	SendPushNode,
	SendSmsNode,
	SendWhatsAppNode,
	StoreTaskNode,
	UpdateProfileNode,
	WebhookNode
} from '../graph/nodes';
import type { JourneySettings, ThrottleRate } from '../graph/settings';
import type { EnrollmentRef, EnrollmentStatus, JourneyEvent, StepKind } from './contract';

/**
 * The activities the interpreter calls, as types only: the worker implements them (worker/activities) and the
 * workflow reaches them through proxies, so no I/O code enters the deterministic sandbox.
 */

export interface StepRecord {
	nodeId: string;
	visit: number;
	kind: StepKind;
	branch?: string;
	reason?: string;
	detail?: Record<string, unknown>;
	/** Workflow time (ms) when it happened, so replays and retries record the same instant. */
	at: number;
}

export interface ProgressUpdate {
	steps: StepRecord[];
	currentNodeId?: string;
	interests?: Interests;
	status?: EnrollmentStatus;
	exitReason?: string;
	variant?: string;
}

/** Common input of every action: who, which step, which pass through it (the idempotency key's parts). */
export interface ActionInput<N> {
	ref: EnrollmentRef;
	node: N;
	visit: number;
	entryEvent?: JourneyEvent;
	settings: Pick<JourneySettings, 'quietHours' | 'frequencyCaps' | 'defaultTimeZone' | 'throttle'>;
	/** Progress the workflow has not written yet: the activity records it first (idempotent), then acts. */
	progress?: ProgressUpdate;
	/**
	 * The journey ends right after this step (its next step is an exit and nothing is left to wait for): what the end
	 * writes, for the activity to write once it has acted (done or skipped), after the step's own row — so the
	 * workflow ends without a write of its own (a local activity and its marker). The outcome then says `finished`.
	 */
	finish?: ProgressUpdate;
}

/**
 * `done`: it happened (or had already happened: a retry is a no-op). `skipped`: a rule said no (consent,
 * suppression, frequency cap, no address) and the journey moves on. `held`: quiet hours, a frequency cap the step
 * waits out, or a throttle's queue (`reason: 'queued'`) — try again at `until`.
 */
export type ActionOutcome =
	| { status: 'done'; detail?: Record<string, unknown>; finished?: true }
	| { status: 'skipped'; reason: string; detail?: Record<string, unknown>; finished?: true }
	| { status: 'held'; until: number; reason: string };

export interface JourneyActivities {
	/** Step log rows and the enrollment's current place and interests, in one write. */
	recordProgress(ref: EnrollmentRef, update: ProgressUpdate): Promise<void>;
	/** The customer's time zone (profile), for local-time waits. */
	customerTimeZone(ref: EnrollmentRef): Promise<string | null>;
	/** Exactly what a condition step needs, loaded at that moment. */
	loadConditionContext(ref: EnrollmentRef, needs: ConditionNeeds): Promise<Omit<ConditionContext, 'now' | 'entryEvent'>>;
	/** The enrollment's turn under the journey's entry rate (ms; idempotent per enrollment), shared by every worker; `now` is workflow time. */
	reserveEntryTurn(ref: EnrollmentRef, rate: ThrottleRate, now: number): Promise<number>;
	sendEmail(input: ActionInput<SendEmailNode>): Promise<ActionOutcome>;
	sendSms(input: ActionInput<SendSmsNode>): Promise<ActionOutcome>;
	sendWhatsApp(input: ActionInput<SendWhatsAppNode>): Promise<ActionOutcome>;
	sendPush(input: ActionInput<SendPushNode>): Promise<ActionOutcome>;
	syncAdAudience(input: ActionInput<AdAudienceNode>): Promise<ActionOutcome>;
	grantOffer(input: ActionInput<GrantOfferNode>): Promise<ActionOutcome>;
	createStoreTask(input: ActionInput<StoreTaskNode>): Promise<ActionOutcome>;
	callWebhook(input: ActionInput<WebhookNode>): Promise<ActionOutcome>;
	updateProfile(input: ActionInput<UpdateProfileNode>): Promise<ActionOutcome>;
}
