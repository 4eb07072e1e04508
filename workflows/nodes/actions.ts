import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';
import type { JourneyNode } from '../../core/graph/nodes';
import type { ActionInput, ActionOutcome } from '../../core/enrollment/activities';
import type { Enrollment } from '../enrollment';
import { actions } from '../proxies';
import { NEXT, STOP, type NodeOutcome } from './outcome';

type ActionNode = Extract<
	JourneyNode,
	{ type: 'sendEmail' | 'sendSms' | 'sendWhatsApp' | 'sendPush' | 'adAudience' | 'grantOffer' | 'storeTask' | 'webhook' | 'updateProfile' }
>;

function call(input: ActionInput<ActionNode>): Promise<ActionOutcome> {
	const node = input.node;
	switch (node.type) {
		case 'sendEmail':
			return actions.sendEmail({ ...input, node });
		case 'sendSms':
			return actions.sendSms({ ...input, node });
		case 'sendWhatsApp':
			return actions.sendWhatsApp({ ...input, node });
		case 'sendPush':
			return actions.sendPush({ ...input, node });
		case 'adAudience':
			return actions.syncAdAudience({ ...input, node });
		case 'grantOffer':
			return actions.grantOffer({ ...input, node });
		case 'storeTask':
			return actions.createStoreTask({ ...input, node });
		case 'webhook':
			return actions.callWebhook({ ...input, node });
		case 'updateProfile':
			return actions.updateProfile({ ...input, node });
	}
}

function failureMessage(err: unknown): string {
	const cause = err instanceof ActivityFailure ? err.cause : err;
	return cause instanceof ApplicationFailure || cause instanceof Error ? cause.message : String(cause);
}

/**
 * Runs an action step. The activity is idempotent on (enrollment, node, visit), so Temporal's retries never act
 * twice. Quiet hours hold the step and try again when they end; a rule that says no skips it; a failure that
 * survives the retries is recorded and the customer moves on rather than being stuck.
 */
export async function runAction(run: Enrollment, node: ActionNode): Promise<NodeOutcome> {
	const { quietHours, frequencyCaps, defaultTimeZone, throttle } = run.def.settings;
	const input: ActionInput<ActionNode> = {
		ref: run.ref,
		node,
		visit: run.visit(node.id),
		entryEvent: run.entryEvent,
		settings: { quietHours, frequencyCaps, defaultTimeZone, throttle }
	};
	// The step's entry (and what came before it) is written by the first attempt's activity, with the action. A
	// `held` row waits for the next write, as it always did: a retry after a hold does exactly what it did before.
	let progress = run.takeProgress();
	for (;;) {
		let outcome: ActionOutcome;
		const finish = run.finishAfter(node.id);
		try {
			outcome = await call({ ...input, ...(progress ? { progress } : {}), ...(finish ? { finish } : {}) });
			progress = undefined;
		} catch (err) {
			run.putBack(progress);
			run.note({ nodeId: node.id, kind: 'failed', reason: failureMessage(err) });
			return NEXT;
		}
		if (outcome.status === 'held') {
			run.note({ nodeId: node.id, kind: 'held', reason: outcome.reason, detail: { until: outcome.until } });
			if (await run.sleep(outcome.until - Date.now())) return STOP;
			continue;
		}
		if (outcome.status === 'skipped') run.note({ nodeId: node.id, kind: 'skipped', reason: outcome.reason, detail: outcome.detail });
		else run.note({ nodeId: node.id, kind: 'completed', detail: outcome.detail });
		return outcome.finished && finish ? { finished: finish } : NEXT;
	}
}
