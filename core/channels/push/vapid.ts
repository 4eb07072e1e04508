import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import webpush from 'web-push';

/**
 * VAPID keys (RFC 8292) identify us to browsers' push services: a browser subscribed with our public key accepts
 * only pushes signed by its private key, so the pair must never change under existing subscriptions. From
 * VAPID_PUBLIC_KEY / VAPID_PRIVATE_KEY, else generated once and kept under DATA_DIR/secrets/vapid.json (mode
 * 600), as APP_SECRET and PRIVACY_HASH_KEY are (scripts/secrets.ts). VAPID_SUBJECT is the contact push services
 * may use (a `mailto:` or an https URL).
 */
export type VapidKeys = { publicKey: string; privateKey: string; subject: string };

export type VapidEnv = {
	DATA_DIR?: string;
	VAPID_PUBLIC_KEY?: string;
	VAPID_PRIVATE_KEY?: string;
	VAPID_SUBJECT?: string;
	PUBLIC_URL?: string;
};

function subjectOf(env: VapidEnv): string {
	if (env.VAPID_SUBJECT) return env.VAPID_SUBJECT;
	// A push service wants a way to reach the sender: the public https URL, else a mailbox.
	return env.PUBLIC_URL?.startsWith('https://') ? env.PUBLIC_URL : 'mailto:admin@omnicanal.local';
}

const cache = new Map<string, VapidKeys>();

export function vapidKeys(env: VapidEnv): VapidKeys {
	const subject = subjectOf(env);
	if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY, subject };
	const dir = join(resolve(env.DATA_DIR ?? '.data'), 'secrets');
	const file = join(dir, 'vapid.json');
	const cached = cache.get(file);
	if (cached) return { ...cached, subject };
	let keys: { publicKey: string; privateKey: string };
	if (existsSync(file)) keys = JSON.parse(readFileSync(file, 'utf8')) as typeof keys;
	else {
		mkdirSync(dir, { recursive: true, mode: 0o700 });
		const generated = webpush.generateVAPIDKeys();
		try {
			// `wx`: of the web app and the worker starting together, the first writer's pair wins.
			writeFileSync(file, JSON.stringify(generated), { mode: 0o600, flag: 'wx' });
			keys = generated;
		} catch (err) {
			if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
			keys = JSON.parse(readFileSync(file, 'utf8')) as typeof keys;
		}
	}
	const result = { publicKey: keys.publicKey, privateKey: keys.privateKey, subject };
	cache.set(file, result);
	return result;
}
