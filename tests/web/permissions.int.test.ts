import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { can } from '../../core/auth/roles';
import type { Role } from '../../core/db/schema/auth';
import { routePermissions, type RouteAccess, type RouteMethod } from '../../web/lib/server/route-permissions';
import { startTestProduct, type TestProduct } from '../helpers/product';

/**
 * The authorization matrix, generated from the route tree: every page load and API method under web/routes must
 * be declared in web/lib/server/route-permissions.ts (a new route without an entry fails here), and each is
 * called as anonymous, every role, a write key and a secret key; the answers must match the declared access.
 */
const routesDir = resolve(import.meta.dirname, '../../web/routes');
const METHODS: RouteMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

type Found = { id: string; method: RouteMethod; file: string };

function walk(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

/** `web/routes/api/v1/journeys/[id]/+server.ts` → `/api/v1/journeys/[id]`; groups `(x)` drop out of URLs, not ids. */
function routeId(file: string): string {
	const dir = relative(routesDir, file).split(sep).slice(0, -1).join('/');
	return `/${dir}`;
}

function discover(): Found[] {
	const found: Found[] = [];
	for (const file of walk(routesDir)) {
		const name = file.split(sep).at(-1)!;
		if (name === '+page.server.ts') found.push({ id: routeId(file), method: 'GET', file });
		if (name === '+server.ts') {
			const text = readFileSync(file, 'utf8');
			for (const m of METHODS)
				if (new RegExp(`export\\s+(const|async\\s+function|function)\\s+${m}\\b`).test(text)) found.push({ id: routeId(file), method: m, file });
		}
	}
	return found;
}

const SAMPLE_PARAMS: Record<string, string> = {
	id: 'no-such-id',
	code: 'NOSUCHCODE1',
	token: 'not-a-token',
	version: '1',
	enrollmentId: 'no-such-enrollment',
	file: 'nodes.csv',
	name: 'no_such_event'
};
const urlOf = (id: string) => id.replace(/\[(\w+)\]/g, (_, p: string) => SAMPLE_PARAMS[p] ?? 'x');

describe('route permission table', () => {
	it('declares every page and API method under web/routes, and nothing that does not exist', () => {
		const found = discover();
		expect(found.length).toBeGreaterThan(50);
		const missing = found.filter((f) => !routePermissions[f.id]?.[f.method]).map((f) => `${f.method} ${f.id}`);
		expect(missing, 'add these routes to web/lib/server/route-permissions.ts').toEqual([]);
		const declared = Object.entries(routePermissions).flatMap(([id, methods]) => Object.keys(methods).map((m) => `${m} ${id}`));
		const stale = declared.filter((d) => !found.some((f) => `${f.method} ${f.id}` === d));
		expect(stale, 'declared in route-permissions.ts but no such route').toEqual([]);
	});
});

type Caller = { name: string; role: Role | null; kind: 'anonymous' | 'user' | 'write' | 'secret'; headers: Record<string, string> };

describe('route permissions, called for real', () => {
	let product: TestProduct;
	const callers: Caller[] = [];

	beforeAll(async () => {
		product = await startTestProduct('pglite');
		callers.push({ name: 'anonymous', role: null, kind: 'anonymous', headers: {} });
		for (const role of ['store', 'analyst', 'marketer', 'admin'] as const)
			callers.push({ name: role, role, kind: 'user', headers: { cookie: await product.sessionCookie(role) } });
		const write = await createApiKey(product.db.db, { name: 'matrix write', kind: 'write', role: 'admin' });
		callers.push({ name: 'write key', role: 'admin', kind: 'write', headers: { authorization: `Basic ${Buffer.from(`${write.key}:`).toString('base64')}` } });
		for (const role of ['store', 'marketer'] as const) {
			const secret = await createApiKey(product.db.db, { name: `matrix ${role}`, kind: 'secret', role });
			callers.push({ name: `${role} secret key`, role, kind: 'secret', headers: { authorization: `Bearer ${secret.key}` } });
		}
	});
	afterAll(async () => product?.stop());

	async function call(method: RouteMethod, path: string, caller: Caller): Promise<{ status: number; location: string | null }> {
		const res = await fetch(`${product.url}${path}`, {
			method,
			redirect: 'manual',
			headers: { ...caller.headers, origin: product.url, ...(method === 'GET' ? {} : { 'content-type': 'application/json' }) },
			body: method === 'GET' ? undefined : '{}'
		});
		await res.arrayBuffer();
		return { status: res.status, location: res.headers.get('location') };
	}

	/** What `caller` must get from a route with `access`: 'allowed' (anything but a refusal) or an exact refusal. */
	function expected(access: RouteAccess, isApi: boolean, caller: Caller): 'allowed' | 'login' | 401 | 403 | 'same' {
		if (access === 'public' || access === 'demo') return 'allowed';
		if (access === 'signed') return 'same';
		// Pages are for people: anything but a signed-in user is sent to sign in.
		if (!isApi && caller.kind !== 'user') return 'login';
		if (access === 'user') return caller.kind === 'user' ? 'allowed' : 401;
		if (caller.kind === 'anonymous') return 401;
		if (caller.kind === 'write') return access === 'events:write' ? 'allowed' : 403;
		return can(caller.role!, access) ? 'allowed' : 403;
	}

	it('answers every route as the table says, for anonymous, each role, a write key and secret keys', { timeout: 600_000 }, async () => {
		const problems: string[] = [];
		for (const [id, methods] of Object.entries(routePermissions)) {
			for (const [method, access] of Object.entries(methods) as [RouteMethod, RouteAccess][]) {
				const path = urlOf(id);
				const isApi = id.startsWith('/api/');
				const answers = new Map<string, { status: number; location: string | null }>();
				for (const caller of callers) answers.set(caller.name, await call(method, path, caller));
				for (const caller of callers) {
					const got = answers.get(caller.name)!;
					const want = expected(access, isApi, caller);
					const toLogin = got.status === 303 && (got.location ?? '').startsWith('/login');
					const ok =
						want === 'allowed'
							? got.status !== 401 && got.status !== 403 && !toLogin && got.status < 500
							: want === 'login'
								? toLogin
								: want === 'same'
									? got.status === answers.get('anonymous')!.status && [400, 401, 403, 503].includes(got.status) // 503: that provider is not configured
									: got.status === want;
					if (!ok) problems.push(`${method} ${path} as ${caller.name}: got ${got.status}${got.location ? ` → ${got.location}` : ''}, want ${want} (${access})`);
				}
			}
		}
		expect(problems).toEqual([]);
	});

	it('keeps the demo shop off unless DEMO is on', async () => {
		const anonymous = callers[0]!;
		expect((await call('GET', '/shop', anonymous)).status).toBe(200);
		process.env.DEMO = '0';
		try {
			for (const path of ['/shop', '/shop/cart', '/shop/products/linen-shirt']) {
				for (const caller of [anonymous, callers.find((c) => c.name === 'admin')!])
					expect((await call('GET', path, caller)).status, `${path} as ${caller.name}`).toBe(404);
			}
		} finally {
			process.env.DEMO = '1';
		}
	});

	it('lets store associates open one customer but not list them all or read the outbox', async () => {
		const store = callers.find((c) => c.name === 'store')!;
		expect((await call('GET', '/customers', store)).status).toBe(403);
		expect((await call('GET', '/outbox', store)).status).toBe(403);
		expect(
			(
				await call(
					'GET',
					'/api/v1/customers?query=a',
					callers.find((c) => c.name === 'store secret key')!
				)
			).status
		).toBe(403);
		expect((await call('GET', '/customers/no-such-id', store)).status).toBe(404);
		expect(
			(
				await call(
					'GET',
					'/outbox',
					callers.find((c) => c.name === 'analyst')!
				)
			).status
		).toBe(403);
		expect(
			(
				await call(
					'GET',
					'/outbox',
					callers.find((c) => c.name === 'marketer')!
				)
			).status
		).toBe(200);
	});
});
