import { error, fail, redirect } from '@sveltejs/kit';
import { z } from 'zod';
import { CURRENCY, productById } from '../../catalog';
import { readCart, setQuantity, writeCart } from '../../cart.server';
import { shopVisitor } from '../../session.server';
import { chosenStoreId, rememberStore, shelfStock, shopStores, storeById } from '../../store-choice.server';
import { trackView } from '../../tracking.server';
import type { Actions, PageServerLoad } from './$types';

export const load = (async (event) => {
	const product = productById(event.params.id);
	if (!product) error(404, 'This product is not in the shop.');
	const visitor = await shopVisitor(event);
	const stores = await shopStores();
	const store = storeById(stores, chosenStoreId(event.cookies)) ?? null;
	const stock = await shelfStock(product.id, stores);
	const properties = { product_id: product.id, sku: product.id, name: product.name, price: product.priceCents / 100, currency: CURRENCY };
	await trackView(event, visitor, [
		{ type: 'page', name: product.name, properties: { path: event.url.pathname, url: event.url.href, title: product.name } },
		{ type: 'track', event: 'product_viewed', properties }
	]);
	return { product, stores, store, stock };
}) satisfies PageServerLoad;

/**
 * How the customer wants the item: delivered (the default), collected in a store that has it on its shelf
 * (order online, collect in store), or ordered at their store for home delivery when no shelf has it nearby
 * (endless aisle). It travels as properties of `product_added` and on to the cart in the query string.
 */
const AddToCart = z.discriminatedUnion('fulfillment', [
	z.object({ fulfillment: z.literal('delivery'), qty: z.coerce.number().int().min(1).max(10) }),
	z.object({ fulfillment: z.literal('collect'), qty: z.coerce.number().int().min(1).max(10), store: z.string().max(64) }),
	z.object({ fulfillment: z.literal('endless_aisle'), qty: z.coerce.number().int().min(1).max(10), store: z.string().max(64) })
]);

export const actions = {
	add: async (event) => {
		const product = productById(event.params.id);
		if (!product) error(404, 'This product is not in the shop.');
		const form = Object.fromEntries(await event.request.formData());
		const parsed = AddToCart.safeParse({ fulfillment: 'delivery', qty: 1, ...form });
		if (!parsed.success) return fail(400, { message: 'Choose between 1 and 10.' });
		const choice = parsed.data;
		const stores = await shopStores();
		const pickupStore = choice.fulfillment === 'delivery' ? null : storeById(stores, choice.store);
		if (choice.fulfillment !== 'delivery') {
			if (!pickupStore) return fail(400, { message: 'Choose one of our stores.' });
			if (choice.fulfillment === 'collect') {
				const { shelves } = await shelfStock(product.id, [pickupStore]);
				if ((shelves[0]?.quantity ?? 0) < choice.qty)
					return fail(409, {
						message: `${pickupStore.name} no longer has ${choice.qty === 1 ? 'one' : choice.qty} on its shelf. Pick another store or have it delivered.`
					});
			}
		}
		const visitor = await shopVisitor(event);
		const cart = await writeCart(event, setQuantity(await readCart(event), product.id, choice.qty, 'add'));
		await trackView(event, visitor, [
			{
				type: 'track',
				event: 'product_added',
				properties: {
					cart_id: cart.id,
					product_id: product.id,
					sku: product.id,
					name: product.name,
					quantity: choice.qty,
					price: product.priceCents / 100,
					currency: CURRENCY,
					fulfillment: choice.fulfillment,
					...(pickupStore ? { store_id: pickupStore.id, store_name: pickupStore.name } : {})
				}
			}
		]);
		const next = new URLSearchParams(pickupStore ? { fulfillment: choice.fulfillment, store: pickupStore.id } : {});
		redirect(303, `/shop/cart${pickupStore ? `?${next}` : ''}`);
	},

	/** "My store": remembered by the shop and sent as the trait `preferred_store`. */
	pickStore: async (event) => {
		const id = String((await event.request.formData()).get('store') ?? '');
		const store = storeById(await shopStores(), id);
		if (!store) return fail(400, { message: 'Choose one of our stores.' });
		rememberStore(event.cookies, store.id, event.url);
		const visitor = await shopVisitor(event);
		await trackView(event, visitor, [
			{ type: 'identify', traits: { preferred_store: store.id } },
			{ type: 'track', event: 'store_selected', properties: { store_id: store.id, store_name: store.name } }
		]);
		return { picked: store.name };
	}
} satisfies Actions;
