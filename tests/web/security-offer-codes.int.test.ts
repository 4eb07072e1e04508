import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { grantOffer } from '../../core/offers/index';
import { maskCode } from '../../core/offers/view';
import { insertCustomer } from '../helpers/journeys';
import { startTestProduct, type TestProduct } from '../helpers/product';

/**
 * Finding from the 2026-11-30 review: offer codes (bearer tokens: whoever reads one can redeem it) were shown in
 * full to every role that opens a customer, analysts included. They are now masked (`SPRING-••••XD`) except for
 * those who redeem them: store associates at the till and admins (core/offers/view.ts).
 */
describe('offer codes masked for roles that do not redeem', () => {
	let product: TestProduct;
	let customerId: string;
	let code: string;
	const as: Record<string, string> = {};
	beforeAll(async () => {
		product = await startTestProduct('pglite');
		customerId = await insertCustomer(product.db, { traits: { name: 'Chloé Dubois' } });
		const offer = await grantOffer(product.db.db, {
			grantKey: 'mask-test',
			customerId,
			title: '15% off',
			kind: 'percent',
			value: 15,
			validForMs: 7 * 24 * 3600_000,
			codePrefix: 'SPRING',
			now: new Date()
		});
		code = offer.code;
		for (const role of ['analyst', 'marketer', 'store', 'admin'] as const) as[role] = await product.sessionCookie(role);
	});
	afterAll(async () => product?.stop());

	const get = async (path: string, cookie: string) => {
		const res = await fetch(`${product.url}${path}`, { headers: { cookie } });
		expect(res.status, path).toBe(200);
		return res.text();
	};

	it('masks as SPRING-••••XY', () => {
		expect(maskCode('SPRING-7KQ4-M2XD')).toBe('SPRING-••••XD');
		expect(maskCode('BLACK-FRIDAY-7KQ4-M2XD')).toBe('BLACK-FRIDAY-••••XD');
		expect(maskCode('7KQ4-M2XD')).toBe('••••XD');
		expect(code).toMatch(/^SPRING-/);
	});

	it('never sends the whole code to analysts or marketers: customer page, customer API, offers APIs', async () => {
		for (const role of ['analyst', 'marketer']) {
			for (const path of [
				`/customers/${customerId}`,
				`/api/v1/customers/${customerId}`,
				`/api/v1/customers/${customerId}/offers`,
				`/api/v1/offers?customerId=${customerId}`
			]) {
				const body = await get(path, as[role]!);
				expect(body, `${role} ${path}`).not.toContain(code);
				expect(body, `${role} ${path}`).toContain(maskCode(code));
			}
		}
	});

	it('shows it whole to those who redeem: the till, admins', async () => {
		expect(await get(`/store?customer=${customerId}`, as.store!)).toContain(code);
		for (const path of [`/customers/${customerId}`, `/api/v1/customers/${customerId}`, `/api/v1/offers?customerId=${customerId}`])
			expect(await get(path, as.admin!), path).toContain(code);
		expect(await get(`/api/v1/customers/${customerId}/offers`, as.store!)).toContain(code);
	});
});
