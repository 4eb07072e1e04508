import { describe, expect, it } from 'vitest';
import { activityDepsFromEnv, derivedWebhookSecret } from '../../worker/activities/index';
import type { Db } from '../../core/db/client';

describe('the webhook step’s signing key', () => {
	const env = { APP_SECRET: 'app-secret-value' } as Parameters<typeof activityDepsFromEnv>[0];

	it('is WEBHOOK_SIGNING_SECRET when set', () => {
		expect(activityDepsFromEnv({ ...env, WEBHOOK_SIGNING_SECRET: 'own-key' }, {} as Db).webhookSecret).toBe('own-key');
	});

	it('is never APP_SECRET itself (receivers hold it), but a stable derivation of it', () => {
		const key = activityDepsFromEnv(env, {} as Db).webhookSecret;
		expect(key).toBeDefined();
		expect(key).not.toBe('app-secret-value');
		expect(key).toBe(derivedWebhookSecret('app-secret-value'));
		expect(derivedWebhookSecret('another')).not.toBe(key);
	});
});
