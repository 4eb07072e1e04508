import { describe, expect, it } from 'vitest';
import { pushUrl } from '../../../core/channels/compose';
import { pushClickUrl, verifyPushClick } from '../../../core/channels/push/clicks';
import { allowedPushOrigins, devicesLabel, pushEndpointProblem, PushSubscriptionInput } from '../../../core/channels/push/subscriptions';

describe('push subscription endpoints', () => {
	it('accepts the browsers’ push services over https', () => {
		for (const endpoint of [
			'https://fcm.googleapis.com/fcm/send/abc',
			'https://updates.push.services.mozilla.com/wpush/v2/abc',
			'https://web.push.apple.com/QAbc',
			'https://wns2-par02p.notify.windows.com/w/?token=abc'
		])
			expect(pushEndpointProblem(endpoint)).toBeNull();
	});
	it('refuses anything else, so a visitor cannot make the worker call an internal address', () => {
		expect(pushEndpointProblem('http://fcm.googleapis.com/fcm/send/abc')).toMatch(/https/);
		expect(pushEndpointProblem('https://10.0.0.5/push')).toMatch(/not a known browser push service/);
		expect(pushEndpointProblem('https://fcm.googleapis.com.evil.example/x')).toMatch(/not a known/);
		expect(pushEndpointProblem('not a url')).toMatch(/not a URL/);
	});
	it('accepts the origins configured in WEB_PUSH_ALLOWED_ORIGINS', () => {
		const extra = allowedPushOrigins(' https://push.internal.example/ , http://127.0.0.1:8080');
		expect(extra).toEqual(['https://push.internal.example', 'http://127.0.0.1:8080']);
		expect(pushEndpointProblem('http://127.0.0.1:8080/push/1', extra)).toBeNull();
		expect(pushEndpointProblem('http://127.0.0.1:8081/push/1', extra)).not.toBeNull();
	});
	it('checks the subscription’s keys', () => {
		const keys = { p256dh: `B${'A'.repeat(86)}`, auth: 'AAAAAAAAAAAAAAAAAAAAAA' };
		expect(PushSubscriptionInput.safeParse({ endpoint: 'https://fcm.googleapis.com/x', keys }).success).toBe(true);
		expect(PushSubscriptionInput.safeParse({ endpoint: 'https://fcm.googleapis.com/x', keys: { ...keys, auth: 'a+b/' } }).success).toBe(false);
	});
	it('names devices for the outbox', () => {
		expect(devicesLabel(1)).toBe('1 browser');
		expect(devicesLabel(3)).toBe('3 browsers');
	});
});

describe('push URLs', () => {
	it('resolves a path against the public URL and refuses non-http schemes', () => {
		expect(pushUrl('/shop/cart', 'https://shop.example')).toBe('https://shop.example/shop/cart');
		expect(pushUrl('https://other.example/a?b=1', 'https://shop.example')).toBe('https://other.example/a?b=1');
		expect(() => pushUrl('javascript:alert(1)', 'https://shop.example')).toThrow(/http\(s\)/);
	});
	it('signs click reports per message', () => {
		const url = new URL(pushClickUrl('https://shop.example', 'secret', 'm-1'));
		expect(url.pathname).toBe('/api/v1/push/clicks');
		expect(verifyPushClick('secret', 'm-1', url.searchParams.get('t')!)).toBe(true);
		expect(verifyPushClick('other-secret', 'm-1', url.searchParams.get('t')!)).toBe(false);
		expect(verifyPushClick('secret', 'm-2', url.searchParams.get('t')!)).toBe(false);
		expect(verifyPushClick('secret', 'm-1', 'short')).toBe(false);
	});
});
