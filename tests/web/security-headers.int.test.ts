import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProduct, type TestProduct } from '../helpers/product';

/**
 * Finding from the 2026-11-30 review: no page or API answer carried a Content-Security-Policy, frame-ancestors,
 * Referrer-Policy or X-Content-Type-Options, so an injected script ran, any site could frame the builder, and
 * links leaked full URLs (unsubscribe tokens) as referrers. Every answer now carries them (web/hooks.server.ts,
 * kit.csp in svelte.config.js).
 */
describe('security headers over HTTP', () => {
	let product: TestProduct;
	let cookie: string;
	beforeAll(async () => {
		product = await startTestProduct('pglite');
		cookie = await product.sessionCookie('admin');
	});
	afterAll(async () => product?.stop());

	const get = (path: string, headers: Record<string, string> = {}) => fetch(`${product.url}${path}`, { headers, redirect: 'manual' });
	const directives = (res: Response) =>
		new Map(
			(res.headers.get('content-security-policy') ?? '')
				.split(';')
				.map((d) => d.trim().split(/\s+/))
				.filter((d) => d[0])
				.map(([name, ...values]) => [name!, values])
		);

	function expectCommonHeaders(res: Response, what: string) {
		expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
		expect(res.headers.get('referrer-policy'), what).toBe('strict-origin-when-cross-origin');
		expect(res.headers.get('x-frame-options'), what).toBe('DENY');
		const csp = directives(res);
		expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
		expect(res.headers.get('content-security-policy'), what).not.toContain('unsafe-eval');
	}

	it('gives pages a nonce-based policy: self only, no eval, no plugins, not framed, forms and <base> to ourselves', async () => {
		for (const [path, headers] of [
			['/login', {}],
			['/journeys', { cookie }],
			['/outbox', { cookie }],
			['/shop', {}]
		] as const) {
			const res = await get(path, headers);
			expect(res.status, path).toBe(200);
			expectCommonHeaders(res, path);
			const csp = directives(res);
			expect(csp.get('default-src'), path).toEqual(["'self'"]);
			expect(csp.get('object-src'), path).toEqual(["'none'"]);
			expect(csp.get('base-uri'), path).toEqual(["'self'"]);
			expect(csp.get('form-action'), path).toEqual(["'self'"]);
			expect(csp.get('img-src'), path).toEqual(["'self'", 'data:']);
			const scripts = csp.get('script-src') ?? [];
			expect(scripts, path).not.toContain("'unsafe-inline'");
			const nonce = scripts.find((s) => s.startsWith("'nonce-"))?.slice(7, -1);
			expect(nonce, path).toBeTruthy();
			// SvelteKit's inline hydration script carries it; no inline script goes without.
			const html = await res.text();
			const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)].map((m) => m[1]!);
			expect(inline.length, path).toBeGreaterThan(0);
			for (const attrs of inline) expect(attrs, path).toContain(`nonce="${nonce}"`);
		}
	});

	it('gives every other answer a policy that loads nothing: APIs, refusals, redirects, images, error pages', async () => {
		const cases: Array<[string, Record<string, string>, number]> = [
			['/api/v1/health', {}, 200],
			['/api/v1/journeys', {}, 401],
			['/api/v1/offers/SPRING-2345-6789/qr.svg', {}, 200],
			['/journeys', {}, 303],
			['/no-such-page', { cookie }, 404]
		];
		for (const [path, headers, status] of cases) {
			const res = await get(path, headers);
			expect(res.status, path).toBe(status);
			expectCommonHeaders(res, path);
			if (path.startsWith('/api/')) expect(directives(res).get('default-src'), path).toEqual(["'none'"]);
		}
		// The demo shop switched off answers 404 from the request hook: the same headers.
		process.env.DEMO = '0';
		try {
			const res = await get('/shop');
			expect(res.status).toBe(404);
			expectCommonHeaders(res, '/shop with DEMO=0');
		} finally {
			process.env.DEMO = '1';
		}
	});

	it('sends Strict-Transport-Security only when the deployment says it is served over https', async () => {
		expect((await get('/login')).headers.get('strict-transport-security')).toBeNull();
		process.env.ORIGIN = 'https://omnicanal.example.test';
		try {
			for (const path of ['/login', '/api/v1/health'])
				expect((await get(path)).headers.get('strict-transport-security'), path).toBe('max-age=31536000; includeSubDomains');
		} finally {
			delete process.env.ORIGIN;
		}
	});
});
