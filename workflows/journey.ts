import { continueAsNew, patched, workflowInfo } from '@temporalio/workflow';
import { HOLDOUT_BRANCH } from '../core/graph/branches';
import { findNode, nextNode, triggerOf } from '../core/graph/graph';
import type { JourneyNode } from '../core/graph/nodes';
import { durationToMs } from '../core/graph/time';
import { Enrollment, PROGRESS_AT_DURABLE_POINTS } from './enrollment';
import type { JourneyInput, JourneyResult } from '../core/enrollment/contract';
import { runAction } from './nodes/actions';
import { waitForEntryTurn } from './nodes/entry-rate';
import { runCondition } from './nodes/condition';
import { NEXT, STOP, type NodeOutcome } from './nodes/outcome';
import { runRandomSplit } from './nodes/random-split';
import { runWait } from './nodes/wait';
import { runWaitForEvent } from './nodes/wait-for-event';

/** Histories stay far below Temporal's limits: hand over to a fresh run well before. */
const HISTORY_EVENTS_BEFORE_CONTINUE = 4_000;

function assertNever(value: never): never {
	throw new Error(`Unhandled node type: ${JSON.stringify(value)}`);
}

function runNode(run: Enrollment, node: JourneyNode): Promise<NodeOutcome> {
	switch (node.type) {
		case 'trigger':
			return Promise.resolve(NEXT);
		case 'wait':
			return runWait(run, node);
		case 'waitForEvent':
			return runWaitForEvent(run, node);
		case 'condition':
			return runCondition(run, node);
		case 'randomSplit':
			return runRandomSplit(run, node);
		case 'sendEmail':
		case 'sendSms':
		case 'sendWhatsApp':
		case 'sendPush':
		case 'adAudience':
		case 'grantOffer':
		case 'storeTask':
		case 'webhook':
		case 'updateProfile':
			return runAction(run, node);
		case 'exit':
			return Promise.resolve(STOP);
		default:
			return assertNever(node);
	}
}

/**
 * The journey interpreter: one workflow per enrollment, walking the pinned version's graph node by node.
 * Events arrive as signals (see Enrollment.onEvent); the state query shows where the customer is.
 * Routing starts this type (JOURNEY_WORKFLOW); it writes progress at durable points only.
 */
export async function journeyV2(input: JourneyInput): Promise<JourneyResult> {
	return interpret(input, () => true, true);
}

/**
 * Interpreter 1, kept so enrollments it started replay as recorded: those started before the
 * PROGRESS_AT_DURABLE_POINTS patch wrote progress at every step; later ones asked the patch, which cost every
 * history a marker and a search-attribute upsert. New enrollments start journeyV2, which needs neither.
 */
export async function journey(input: JourneyInput): Promise<JourneyResult> {
	return interpret(input, () => patched(PROGRESS_AT_DURABLE_POINTS));
}

async function interpret(input: JourneyInput, progressAtDurablePoints: () => boolean, endsInLastAction = false): Promise<JourneyResult> {
	const trigger = triggerOf(input.definition);
	if (!trigger) throw new Error('journey definition has no trigger');
	const run = new Enrollment(input, trigger.id, progressAtDurablePoints, endsInLastAction);
	run.installHandlers();

	let node = findNode(input.definition, run.state.currentNodeId);
	if (!input.carried) {
		await run.enter(trigger.id);
		await waitForEntryTurn(run, trigger.id);
	}
	let endReason: string | undefined;

	while (node && !run.interrupt) {
		const outcome = await runNode(run, node);
		// The action's activity wrote the end (the exit came next): an exit event heard meanwhile came too late.
		if ('finished' in outcome) return run.finished(outcome.finished);
		if (run.interrupt || 'stop' in outcome) {
			if (node.type === 'exit') endReason = node.reason ?? 'completed';
			break;
		}
		if (outcome.branch === HOLDOUT_BRANCH) {
			endReason = 'holdout';
			break;
		}
		const next = nextNode(input.definition, node.id, outcome.branch);
		if (!next) {
			endReason = 'end of path';
			break;
		}
		await run.enter(next.id, outcome.branch);
		node = next;
		const info = workflowInfo();
		if (info.continueAsNewSuggested || info.historyLength > (input.continueAsNewAfter ?? HISTORY_EVENTS_BEFORE_CONTINUE)) {
			await run.flush();
			return continueAsNew<typeof journeyV2>({ ...input, carried: run.state }); // the same workflow type
		}
	}

	if (!run.interrupt) {
		run.note({ nodeId: run.state.currentNodeId, kind: 'exited', reason: endReason });
		await awaitGoal(run);
	}
	const status = run.interrupt?.status ?? (run.state.converted ? 'converted' : 'completed');
	const reason = run.interrupt?.reason ?? endReason;
	if (run.interrupt?.status === 'exited') run.note({ nodeId: run.state.currentNodeId, kind: 'exited', reason });
	await run.flush({ status, exitReason: reason, interests: { events: [], propertyPaths: [] }, variant: run.state.variant });
	return { status, reason, path: run.state.path };
}

/** After the last step a conversion can still come within the goal's attribution window: listen until it closes. */
async function awaitGoal(run: Enrollment): Promise<void> {
	const goal = run.def.settings.goal;
	if (!goal || run.state.converted) return;
	const remaining = run.state.enteredAt + durationToMs(goal.attributionWindow) - Date.now();
	if (remaining <= 0) return;
	await run.flush({ interests: { events: [...new Set(goal.events.map((m) => m.event))].sort(), propertyPaths: [] } });
	await run.sleep(remaining);
}
