import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../../core/auth/accounts';
import { dbKinds } from '../../helpers/db';
import { startTestProduct, type TestProduct } from '../../helpers/product';
import { expectedAttribution, expectedFigures } from './expected';
import { seedScenario, type Scenario } from './fixture';

/** Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF) into rows of strings. */
function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [],
		cell = '',
		quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i]!;
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === ',') {
			row.push(cell);
			cell = '';
		} else if (ch === '\r' && text[i + 1] === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			i++;
		} else cell += ch;
	}
	return rows;
}

function records(text: string): Record<string, string>[] {
	const [header, ...rows] = parseCsv(text);
	return rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? ''])));
}

describe.each(dbKinds())('analytics API and CSV on %s', (kind) => {
	let product: TestProduct;
	let analyst: string;
	let store: string;
	let sc: Scenario;

	const get = (path: string, key: string | null = analyst) => fetch(`${product.url}/api/v1${path}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });

	beforeAll(async () => {
		product = await startTestProduct(kind);
		analyst = (await createApiKey(product.db.db, { name: 'reports', kind: 'secret', role: 'analyst' })).key;
		store = (await createApiKey(product.db.db, { name: 'till', kind: 'secret', role: 'store' })).key;
		sc = await seedScenario(product.db, 160);
	}, 240_000);
	afterAll(async () => product?.stop());

	it('guards and validates: 401 without a key, 403 without analytics:read, 400 for a bad query, 404 for an unknown journey or table', async () => {
		expect((await get(`/journeys/${sc.journeyId}/analytics`, null)).status).toBe(401);
		expect((await get(`/journeys/${sc.journeyId}/analytics`, store)).status).toBe(403);
		const bad = await get(`/journeys/${sc.journeyId}/analytics?version=x&from=2026-13-01`);
		expect(bad.status).toBe(400);
		const body = (await bad.json()) as { error: { code: string; details: { path: string }[] } };
		expect(body.error.code).toBe('invalid_request');
		expect(body.error.details.map((d) => d.path).sort()).toEqual(['from', 'version']);
		expect((await get(`/journeys/${sc.journeyId}/analytics?from=2026-03-05&to=2026-03-01`)).status).toBe(400);
		expect((await get('/journeys/nope/analytics')).status).toBe(404);
		expect((await get(`/journeys/${sc.journeyId}/analytics?version=9`)).status).toBe(404);
		expect((await get(`/journeys/${sc.journeyId}/analytics/secrets.csv`)).status).toBe(404);
		expect((await get('/analytics/attribution?lookbackDays=0')).status).toBe(400);
	});

	it('answers the independently computed KPIs, nodes and A/B arms as JSON', async () => {
		const res = await get(`/journeys/${sc.journeyId}/analytics?version=2`);
		expect(res.status).toBe(200);
		const a = (await res.json()) as {
			kpis: Record<string, number>;
			nodes: { nodeId: string; entered: { customers: number } }[];
			ab: { arms: { id: string; customers: number; converted: number }[]; method: string };
		};
		const want = expectedFigures(sc, { version: 2 });
		expect(a.kpis).toMatchObject(want.kpis);
		for (const n of a.nodes) expect(n.entered.customers, n.nodeId).toBe(want.nodes[n.nodeId]?.enteredCustomers ?? 0);
		expect(a.ab.arms.map((x) => [x.id, x.customers, x.converted])).toEqual(
			['a', 'b', 'holdout'].map((id) => [id, want.arms[id]!.customers, want.arms[id]!.converted])
		);
		expect(a.ab.method).toMatch(/anytime-valid/);
	});

	it('exports every table as CSV with the same figures', async () => {
		const want = expectedFigures(sc, {});
		const nodesRes = await get(`/journeys/${sc.journeyId}/analytics/nodes.csv`);
		expect(nodesRes.headers.get('content-type')).toMatch(/^text\/csv/);
		const nodes = records(await nodesRes.text());
		for (const n of nodes) {
			const w = want.nodes[n.node_id!]!;
			expect([n.node_id, Number(n.entered_customers), Number(n.in_step_now), Number(n.dropped), Number(n.converted_after)]).toEqual([
				n.node_id,
				w.enteredCustomers,
				w.here,
				w.dropped,
				w.reachedConverted
			]);
		}
		const messages = records(await (await get(`/journeys/${sc.journeyId}/analytics/messages.csv`)).text()).filter((m) => m.node_id !== '(all steps)');
		for (const m of messages) {
			const w = want.engagement[m.node_id!];
			if (!w) continue;
			expect(['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'].map((s) => Number(m[s]))).toEqual(
				['sent', 'delivered', 'opened', 'clicked', 'bounced', 'complained', 'unsubscribed', 'failed'].map((s) => w[s])
			);
		}
		const variants = records(await (await get(`/journeys/${sc.journeyId}/analytics/variants.csv?version=2`)).text());
		const wantV2 = expectedFigures(sc, { version: 2 });
		expect(variants.map((v) => [v.variant, Number(v.customers), Number(v.converted)])).toEqual(
			['a', 'b', 'holdout'].map((id) => [id, wantV2.arms[id]!.customers, wantV2.arms[id]!.converted])
		);
		const edges = records(await (await get(`/journeys/${sc.journeyId}/analytics/edges.csv`)).text());
		expect(edges.find((e) => e.edge_id === 'e-split-a')?.customers).toBe(String(want.nodes.split!.movedOn.a ?? 0));
		const daily = records(await (await get(`/journeys/${sc.journeyId}/analytics/daily.csv`)).text());
		expect(daily.filter((d) => d.entered !== '0').map((d) => [d.day, Number(d.entered)])).toEqual(
			Object.entries(want.daily)
				.sort(([a], [b]) => a.localeCompare(b))
				.map(([day, d]) => [day, d.entered])
		);
	});

	it('attributes conversions across journeys by first, last and linear touch per channel (JSON and CSV agree)', async () => {
		const want = expectedAttribution(sc);
		const a = (await (await get('/analytics/attribution')).json()) as {
			conversions: number;
			untouched: number;
			byChannel: { key: string; firstTouch: number; lastTouch: number; linear: number }[];
		};
		expect(a.conversions).toBe(want.conversions);
		expect(a.untouched).toBe(want.untouched);
		const got = Object.fromEntries(a.byChannel.map((c) => [c.key, { first: c.firstTouch, last: c.lastTouch, linear: c.linear }]));
		expect(Object.keys(got).sort()).toEqual(Object.keys(want.credit).sort());
		for (const [ch, w] of Object.entries(want.credit)) {
			expect(got[ch]!.first).toBe(w.first);
			expect(got[ch]!.last).toBe(w.last);
			expect(got[ch]!.linear).toBeCloseTo(w.linear, 9);
		}
		const csv = records(await (await get('/analytics/attribution.csv')).text());
		expect(csv.filter((r) => r.dimension === 'channel').map((r) => [r.key, Number(r.first_touch)])).toEqual(a.byChannel.map((c) => [c.key, c.firstTouch]));
	});
});
