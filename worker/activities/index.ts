import { createHmac } from 'node:crypto';
import type { Db } from '../../core/db/client';
import type { JourneyActivities } from '../../core/enrollment/activities';
import { loadConditionContext } from './condition-context';
import { activityNow } from './keys';
import { createProviders, type ProviderEnv } from '../../core/channels/providers';
import type { Providers } from '../../core/channels/types';
import type { AppEnv } from '../../core/config/env';
import {
	callWebhookStep,
	createStoreTaskStep,
	reserveEntryTurn,
	sendEmailStep,
	sendPushStep,
	sendSmsStep,
	sendWhatsAppStep,
	syncAdAudienceStep,
	type SendRates
} from './channels';
import { grantOfferStep } from './offers';
import { parseRate } from '../../core/throttle/index';
import { updateProfile } from './profile';
import { customerTimeZone, ProgressWriter, writingProgressWithActions } from './progress';
import { batchedStore } from '../../core/channels/send-store';
import { scheduledEntryActivities } from './scheduled-entry';

export interface ActivityDeps {
	db: Db;
	providers: Providers;
	/** Signs the webhook step's requests (WEBHOOK_SIGNING_SECRET, else a key derived from APP_SECRET). */
	webhookSecret?: string;
	/** Send rates per channel (SEND_RATE_EMAIL, _SMS, _WHATSAPP, _PUSH), shared by every worker through the database. */
	sendRates?: SendRates;
}

/** Production wiring: providers from the environment (the outbox where credentials are absent). */
export function activityDepsFromEnv(
	env: ProviderEnv &
		Pick<AppEnv, 'WEBHOOK_SIGNING_SECRET'> &
		Partial<Pick<AppEnv, 'SEND_RATE_EMAIL' | 'SEND_RATE_SMS' | 'SEND_RATE_WHATSAPP' | 'SEND_RATE_PUSH'>>,
	db: Db
): ActivityDeps {
	return {
		db,
		providers: createProviders(env),
		sendRates: {
			email: parseRate(env.SEND_RATE_EMAIL),
			sms: parseRate(env.SEND_RATE_SMS),
			whatsapp: parseRate(env.SEND_RATE_WHATSAPP),
			push: parseRate(env.SEND_RATE_PUSH)
		},
		webhookSecret: env.WEBHOOK_SIGNING_SECRET ?? derivedWebhookSecret(env.APP_SECRET ?? process.env.APP_SECRET)
	};
}

/**
 * Receivers of the webhook step hold its signing key, so it must never be APP_SECRET itself (which signs
 * unsubscribe links): without WEBHOOK_SIGNING_SECRET a one-way derivation of APP_SECRET is used instead.
 */
export function derivedWebhookSecret(appSecret: string | undefined): string | undefined {
	return appSecret === undefined ? undefined : createHmac('sha256', appSecret).update('omnicanal webhook step signing key').digest('base64url');
}

/**
 * Activities get their dependencies injected (Temporal samples' dependency-injection pattern); workflows see
 * only the `JourneyActivities` type and call them through proxies.
 */
export function createActivities(deps: ActivityDeps) {
	// One writer and one send store per set of activities: enrollments moving at once share their statements.
	const { db } = deps;
	const progress = new ProgressWriter(db);
	const channels = { ...deps, sendStore: batchedStore(db) };
	return writingProgressWithActions(progress, {
		recordProgress: (ref, update) => progress.write(ref, update),
		customerTimeZone: (ref) => customerTimeZone(db, ref),
		loadConditionContext: (ref, needs) => loadConditionContext(db, ref, needs),
		grantOffer: (input) => grantOfferStep(db, input, activityNow()),
		updateProfile: (input) => updateProfile(db, input, activityNow()),
		reserveEntryTurn: (ref, rate, now) => reserveEntryTurn(db, ref, rate, new Date(now)),
		sendEmail: (input) => sendEmailStep(channels, input, activityNow()),
		sendSms: (input) => sendSmsStep(channels, input, activityNow()),
		sendWhatsApp: (input) => sendWhatsAppStep(channels, input, activityNow()),
		sendPush: (input) => sendPushStep(channels, input, activityNow()),
		syncAdAudience: (input) => syncAdAudienceStep(channels, input, activityNow()),
		createStoreTask: (input) => createStoreTaskStep(channels, input, activityNow()),
		callWebhook: (input) => callWebhookStep(channels, input, activityNow()),
		...scheduledEntryActivities(db)
	} satisfies JourneyActivities);
}

export type Activities = ReturnType<typeof createActivities>;
