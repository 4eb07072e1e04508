import type { Db } from '../../core/db/client';
import type { JourneyActivities } from '../../workflows/activity-types';
import { loadConditionContext } from './condition-context';
import { nonRetryable } from './keys';
import { grantOfferStep } from './offers';
import { updateProfile } from './profile';
import { customerTimeZone, recordProgress } from './progress';

export interface ActivityDeps {
	db: Db;
}

/**
 * Activities get their dependencies injected (Temporal samples' dependency-injection pattern); workflows see
 * only the `JourneyActivities` type and call them through proxies.
 */
export function createActivities(deps: ActivityDeps) {
	const { db } = deps;
	const notYet = (what: string) => async (): Promise<never> => {
		throw nonRetryable(`${what} is not available in this build`);
	};
	return {
		recordProgress: (ref, update) => recordProgress(db, ref, update),
		customerTimeZone: (ref) => customerTimeZone(db, ref),
		loadConditionContext: (ref, needs) => loadConditionContext(db, ref, needs),
		grantOffer: (input) => grantOfferStep(db, input),
		updateProfile: (input) => updateProfile(db, input),
		sendEmail: notYet('email'),
		sendSms: notYet('SMS'),
		syncAdAudience: notYet('ad audiences'),
		createStoreTask: notYet('store tasks'),
		callWebhook: notYet('webhooks')
	} satisfies JourneyActivities;
}

export type Activities = ReturnType<typeof createActivities>;
