import { condition, defineSignal, proxyActivities, setHandler, sleep } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities';

/**
 * The floor of `npm run bench:engine`: the least a Temporal workflow can do for the same journey. Started by
 * signalWithStart with the entry event, as our routing starts an enrollment; then two activities, each writing one
 * row (the two sends' worth of database work), without our step log, routing or message bookkeeping.
 */
export const enterSignal = defineSignal<[{ event: string }]>('event');

const { send } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

export async function bareEnrollment(customerId: string, waitDays = 0): Promise<void> {
	let entered = false;
	setHandler(enterSignal, () => void (entered = true));
	await condition(() => entered);
	if (waitDays > 0) {
		await sleep(`${waitDays} days`);
		return;
	}
	await send('email', customerId);
	await send('sms', customerId);
}
