import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { can } from '../../../core/auth/roles';
import type { DbHandle } from '../../../core/db/client';
import { customers, identities } from '../../../core/db/schema/customers';
import { grantOffer } from '../../../core/offers/grant';
import { getOfferResponse, listOffersResponse, qrResponse, redeemResponse, releaseResponse, reserveResponse } from '../../../core/offers/http';
import type { OfferView } from '../../../core/offers/view';
import { dbKinds, freshDb } from '../../helpers/db';

type ErrorBody = { error: { code: string; message: string } };
const now = new Date('2026-03-01T10:00:00Z');
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
	new Request(`http://localhost${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});

describe('who may use offers', () => {
	it('lets the till (store role) and admins redeem, not marketers or analysts; lookups need customers:read', () => {
		expect(can('store', 'offers:redeem')).toBe(true);
		expect(can('admin', 'offers:redeem')).toBe(true);
		expect(can('marketer', 'offers:redeem')).toBe(false);
		expect(can('analyst', 'offers:redeem')).toBe(false);
		expect(can('store', 'customers:read')).toBe(true);
	});
});

describe.each(dbKinds())('offers HTTP API on %s', (kind) => {
	let h: DbHandle;
	let offer: OfferView;
	const deps = () => ({ db: h.db, now: () => now });

	beforeAll(async () => {
		h = await freshDb(kind);
		await h.db.insert(customers).values([{ id: 'ada' }, { id: 'ada-phone', mergedInto: 'ada' }]);
		await h.db.insert(identities).values([
			{ kind: 'anonymousId', value: 'anon-phone', customerId: 'ada-phone' },
			{ kind: 'email', value: 'ada@example.com', customerId: 'ada' },
			{ kind: 'phone', value: '+33612345678', customerId: 'ada' },
			{ kind: 'loyaltyId', value: 'L-42', customerId: 'ada' }
		]);
		offer = await grantOffer(h.db, {
			grantKey: 'g',
			customerId: 'ada-phone',
			title: 'Spring',
			kind: 'percent',
			value: 20,
			validForMs: 86_400_000,
			codePrefix: 'SPRING',
			now
		});
	});
	afterAll(() => h.close());

	it('finds the same offer from any identifier on any channel, following merges', async () => {
		for (const query of [
			'anonymousId=anon-phone',
			'email=%20ADA@example.com',
			'phone=%2B33%206%2012%2034%2056%2078',
			'loyaltyId=L-42',
			'customerId=ada-phone'
		]) {
			const res = await listOffersResponse(new URL(`http://localhost/api/v1/offers?${query}`), deps(), { fullCodes: true });
			expect(res.status).toBe(200);
			const body = (await res.json()) as { customerId: string; offers: OfferView[] };
			expect(body.customerId).toBe('ada');
			expect(body.offers.map((o) => o.code)).toEqual([offer.code]);
		}
		const unknown = await listOffersResponse(new URL('http://localhost/api/v1/offers?email=nobody@example.com'), deps());
		expect(await unknown.json()).toEqual({ customerId: null, offers: [] });
		const missing = await listOffersResponse(new URL('http://localhost/api/v1/offers'), deps());
		expect(missing.status).toBe(400);
		expect(((await missing.json()) as ErrorBody).error.code).toBe('missing_identifier');
		expect((await listOffersResponse(new URL('http://localhost/api/v1/offers?email=not-an-email'), deps())).status).toBe(400);
	});

	it('looks one offer up by code as typed', async () => {
		const res = await getOfferResponse(offer.code.toLowerCase(), deps());
		expect(((await res.json()) as { offer: OfferView }).offer.id).toBe(offer.id);
		expect((await getOfferResponse('NOPE', deps())).status).toBe(404);
	});

	it('holds and releases for a cart, with 409 for another cart and 400 for a bad body', async () => {
		const hold = await reserveResponse(offer.code, post('/r', { cartId: 'cart-1', holdSeconds: 600 }), deps());
		expect(hold.status).toBe(200);
		expect(((await hold.json()) as { offer: OfferView }).offer.reservation).toEqual({
			cartId: 'cart-1',
			until: new Date(now.getTime() + 600_000).toISOString()
		});
		const other = await reserveResponse(offer.code, post('/r', { cartId: 'cart-2' }), deps());
		expect(other.status).toBe(409);
		expect(((await other.json()) as ErrorBody).error.code).toBe('reserved');
		expect((await reserveResponse(offer.code, post('/r', { holdSeconds: 5 }), deps())).status).toBe(400);
		expect((await reserveResponse(offer.code, post('/r', '{oops'), deps())).status).toBe(400);
		expect((await releaseResponse(offer.code, post('/r', { cartId: 'cart-1' }), deps())).status).toBe(200);
	});

	it('requires an Idempotency-Key, redeems once, and replays the answer to a retry', async () => {
		const noKey = await redeemResponse(offer.code, post('/x', { channel: 'store' }), deps());
		expect(noKey.response.status).toBe(400);
		expect(((await noKey.response.json()) as ErrorBody).error.code).toBe('missing_idempotency_key');
		expect((await redeemResponse(offer.code, post('/x', { channel: 'fax' }, { 'idempotency-key': 'k0' }), deps())).response.status).toBe(400);

		const key = randomUUID();
		const first = await redeemResponse(offer.code, post('/x', { channel: 'store', storeId: 'lyon', orderId: 'till-7' }, { 'idempotency-key': key }), deps());
		expect(first.response.status).toBe(200);
		expect(first.eventIds).toHaveLength(1);
		const body = (await first.response.json()) as { offer: OfferView; redemption: { eventId: string; channel: string } };
		expect(body.offer.status).toBe('redeemed');
		expect(body.redemption).toMatchObject({ channel: 'store', storeId: 'lyon', orderId: 'till-7', eventId: first.eventIds[0] });

		const retry = await redeemResponse(offer.code, post('/x', { channel: 'store' }, { 'idempotency-key': key }), deps());
		expect(retry.response.status).toBe(200);
		expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
		expect(await retry.response.json()).toEqual(body);
		expect(retry.eventIds).toEqual([]);

		const late = await redeemResponse(offer.code, post('/x', { channel: 'web' }, { 'idempotency-key': randomUUID() }), deps());
		expect(late.response.status).toBe(409);
		expect(await late.response.json()).toEqual({ error: { code: 'already_redeemed', message: 'This offer has already been redeemed.', details: null } });
	});

	it('draws the code as a QR code (SVG and PNG)', async () => {
		const svg = await qrResponse(offer.code, 'svg');
		expect(svg.headers.get('content-type')).toBe('image/svg+xml');
		expect(await svg.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
		const png = await qrResponse(offer.code, 'png');
		expect(png.headers.get('content-type')).toBe('image/png');
		expect(Buffer.from(await png.arrayBuffer()).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
	});
});
