import { proxyActivities, sleep } from '@temporalio/workflow';
import type { BareActivities } from './bare-activities';

/**
 * The floor of `npm run bench:engine`: the least a Temporal workflow can do for the same journey. Started with the
 * entry event in its input by the worker process, as our routing starts an enrollment; then two activities, each
 * writing one row (the two sends' worth of database work), without our step log, routing or message bookkeeping.
 */
const { send } = proxyActivities<BareActivities>({ startToCloseTimeout: '1 minute' });

export async function bareEnrollment(customerId: string, waitDays: number, entry: { event: string }): Promise<void> {
	if (!entry.event) throw new Error('no entry event');
	if (waitDays > 0) {
		await sleep(`${waitDays} days`);
		return;
	}
	await send('email', customerId);
	await send('sms', customerId);
}
