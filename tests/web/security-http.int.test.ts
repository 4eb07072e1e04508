import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { identities } from '../../core/db/schema/customers';
import { ingestMessages } from '../../core/ingest/index';
import { grantOffer } from '../../core/offers/index';
import { customerByIdentity, survivorOf } from '../../core/identity/lookup';
import { createTestUser, startTestProduct, type TestProduct } from '../helpers/product';

/** Exploits from the 2026-11-30 review, through real HTTP: the shop merge, a stranger's code, login brute force, open redirect. */
describe('security over HTTP', () => {
	let product: TestProduct;
	beforeAll(async () => {
		// As behind a proxy that sets X-Forwarded-For (adapter-node reads it only when told to): each test
		// "browser" gets its own address. Without a proxy it stays unset, or anyone could pick their address.
		process.env.ADDRESS_HEADER = 'x-forwarded-for';
		product = await startTestProduct('pglite');
	});
	afterAll(async () => product?.stop());

	/** A browser: keeps cookies, posts forms the way SvelteKit's enhance does (JSON answer). */
	function visitor(ip = '198.51.100.1') {
		const jar = new Map<string, string>();
		const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
		const remember = (res: Response) => {
			for (const c of res.headers.getSetCookie()) {
				const [pair] = c.split(';');
				const i = pair!.indexOf('=');
				jar.set(pair!.slice(0, i), pair!.slice(i + 1));
			}
		};
		return {
			jar,
			async get(path: string) {
				const res = await fetch(`${product.url}${path}`, { headers: { cookie: cookie(), 'x-forwarded-for': ip }, redirect: 'manual' });
				remember(res);
				return { status: res.status, text: await res.text(), headers: res.headers };
			},
			async form(path: string, fields: Record<string, string>, opts: { action?: boolean } = { action: true }) {
				const res = await fetch(`${product.url}${path}`, {
					method: 'POST',
					redirect: 'manual',
					headers: {
						cookie: cookie(),
						'x-forwarded-for': ip,
						origin: product.url,
						'content-type': 'application/x-www-form-urlencoded',
						...(opts.action ? { 'x-sveltekit-action': 'true', accept: 'application/json' } : { accept: 'text/html' })
					},
					body: new URLSearchParams(fields).toString()
				});
				remember(res);
				return { status: res.status, text: await res.text(), headers: res.headers };
			}
		};
	}

	async function victim(email: string, anonymousId: string) {
		const { db } = product.db;
		await ingestMessages(db, [
			{ type: 'identify', anonymousId, traits: { email, name: 'Real Owner' }, messageId: `id-${anonymousId}`, timestamp: new Date().toISOString() }
		]);
		const customerId = (await customerByIdentity(db, 'email', email))!;
		const offer = await grantOffer(db, {
			grantKey: `g-${anonymousId}`,
			customerId,
			title: '20% off',
			kind: 'percent',
			value: 20,
			validForMs: 7 * 24 * 3600_000,
			now: new Date()
		});
		return { customerId, offer };
	}

	it('does not merge a stranger into the customer whose e-mail they type at checkout, nor show or redeem their offer', async () => {
		const owner = await victim('owner@example.test', 'owner-anon-1');
		const stranger = visitor();
		await stranger.get('/shop');
		const anon = stranger.jar.get('oc_anon')!;
		expect(anon).toBeTruthy();
		expect((await stranger.form('/shop/products/linen-shirt?/add', { qty: '1' })).status).toBe(200);
		const checkout = await stranger.form('/shop/cart?/checkout', { email: 'owner@example.test' });
		expect(checkout.status).toBe(200);
		expect(checkout.text).not.toContain(owner.offer.code);

		const { db } = product.db;
		const strangerCustomer = await customerByIdentity(db, 'anonymousId', anon);
		expect(strangerCustomer).not.toBeNull();
		expect(await survivorOf(db, strangerCustomer!)).not.toBe(owner.customerId);
		expect(await survivorOf(db, owner.customerId)).toBe(owner.customerId);
		const emails = await db.select().from(identities).where(eq(identities.value, 'owner@example.test'));
		expect(emails.map((r) => r.customerId)).toEqual([owner.customerId]);

		// Next visit: the owner's promotion is not in the stranger's cart.
		expect((await stranger.get('/shop/cart')).text).not.toContain(owner.offer.code);
	});

	it('refuses someone else’s code in the cart like an unknown code, and accepts the owner’s own', async () => {
		const owner = await victim('second@example.test', 'owner-anon-2');
		const stranger = visitor();
		await stranger.get('/shop');
		const refused = await stranger.form('/shop/cart?/applyCode', { code: owner.offer.code });
		expect(refused.text).toContain('We do not know this code');
		const unknown = await stranger.form('/shop/cart?/applyCode', { code: 'ZZZZ-ZZZZ-ZZZZ' });
		expect(unknown.text).toContain('We do not know this code');
		// A landing link carrying someone else's code does nothing either.
		expect((await stranger.get(`/shop/cart?offer=${owner.offer.code}`)).text).not.toContain(owner.offer.code);

		const self = visitor();
		await self.get('/shop?oc_cid=owner-anon-2');
		const applied = await self.form('/shop/cart?/applyCode', { code: owner.offer.code });
		expect(applied.text).toContain('is in your cart');
	});

	it('throttles sign-in per account with a clear message, whatever the address', async () => {
		const user = await createTestUser(product.db, 'analyst');
		const statuses: number[] = [];
		let last = '';
		for (let i = 0; i < 7; i++) {
			const res = await visitor(`203.0.113.${i + 1}`).form('/login', { email: user.email, password: `wrong-${i}` }, { action: false });
			statuses.push(res.status);
			last = res.text;
		}
		expect(statuses.slice(0, 5)).toEqual([400, 400, 400, 400, 400]);
		expect(statuses.slice(5)).toEqual([429, 429]);
		expect(last).toContain('Too many sign-in attempts. Try again in');
		// Even the right password waits: the account's bucket is empty.
		expect((await visitor('203.0.113.99').form('/login', { email: user.email, password: user.password }, { action: false })).status).toBe(429);
	});

	it('throttles one address trying many accounts', async () => {
		const ip = '192.0.2.77';
		const statuses: number[] = [];
		for (let i = 0; i < 22; i++)
			statuses.push((await visitor(ip).form('/login', { email: `nobody${i}@example.test`, password: 'x' }, { action: false })).status);
		expect(statuses.slice(0, 20).every((s) => s === 400)).toBe(true);
		expect(statuses.slice(20)).toEqual([429, 429]);
	});

	it('sends people back only to paths on this site after sign-in', async () => {
		const user = await createTestUser(product.db, 'marketer');
		const cases: Array<[string, string]> = [
			['/journeys?x=1', '/journeys?x=1'],
			['//evil.example/x', '/'],
			['/\\evil.example', '/'],
			['\\\\evil.example', '/'],
			['https://evil.example/', '/'],
			['javascript:alert(1)', '/'],
			['/%0d%0aSet-Cookie:x=1', '/%0d%0aSet-Cookie:x=1'],
			['/\tevil', '/']
		];
		let n = 0;
		for (const [next, want] of cases) {
			const res = await visitor(`100.64.${n}.${++n}`).form(
				`/login?next=${encodeURIComponent(next)}`,
				{ email: user.email, password: user.password },
				{ action: false }
			);
			expect(res.status, next).toBe(303);
			expect(res.headers.get('location'), next).toBe(want);
		}
	});

	it('marks the session cookie Secure when the public URL is https', async () => {
		const user = await createTestUser(product.db, 'store');
		const plain = await visitor('100.100.1.1').form('/login', { email: user.email, password: user.password }, { action: false });
		expect(plain.headers.getSetCookie().find((c) => c.startsWith('oc_session='))).not.toMatch(/Secure/i);
		const saved = process.env.PUBLIC_URL;
		process.env.PUBLIC_URL = 'https://omnicanal.example';
		try {
			const res = await visitor('100.100.1.2').form('/login', { email: user.email, password: user.password }, { action: false });
			expect(res.headers.getSetCookie().find((c) => c.startsWith('oc_session='))).toMatch(/; Secure/i);
		} finally {
			if (saved === undefined) delete process.env.PUBLIC_URL;
			else process.env.PUBLIC_URL = saved;
		}
	});
});
