import { error, fail, redirect } from '@sveltejs/kit';
import { CURRENCY, productById } from '../../catalog';
import { readCart, setQuantity, writeCart } from '../../cart.server';
import { shopVisitor } from '../../session.server';
import { trackView } from '../../tracking.server';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const product = productById(event.params.id);
	if (!product) error(404, 'This product is not in the shop.');
	const visitor = await shopVisitor(event);
	const properties = { product_id: product.id, name: product.name, price: product.priceCents / 100, currency: CURRENCY };
	await trackView(event, visitor, [
		{ type: 'page', name: product.name, properties: { path: event.url.pathname, url: event.url.href, title: product.name } },
		{ type: 'track', event: 'product_viewed', properties }
	]);
	return { product };
}) satisfies PageServerLoad;

export const actions = {
	add: async (event) => {
		const product = productById(event.params.id);
		if (!product) error(404, 'This product is not in the shop.');
		const qty = Number((await event.request.formData()).get('qty') ?? 1);
		if (!Number.isInteger(qty) || qty < 1 || qty > 10) return fail(400, { message: 'Choose between 1 and 10.' });
		const visitor = await shopVisitor(event);
		const cart = await writeCart(event, setQuantity(await readCart(event), product.id, qty, 'add'));
		await trackView(event, visitor, [
			{
				type: 'track',
				event: 'product_added',
				properties: { cart_id: cart.id, product_id: product.id, name: product.name, quantity: qty, price: product.priceCents / 100, currency: CURRENCY }
			}
		]);
		redirect(303, '/shop/cart');
	}
} satisfies Actions;
