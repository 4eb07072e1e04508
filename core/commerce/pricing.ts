import type { CartLineItem } from '../db/schema/orders';
import type { Product } from './products';

/** What pricing needs of a product: the shop's own catalogue and Omnicanal's (`tillProduct`) both give it. */
export type PricedProduct = { id: string; name: string; priceCents: number };
export type CartLine<P extends PricedProduct = PricedProduct> = { product: P; qty: number; lineCents: number; discounted: boolean };
export type PricedCart<P extends PricedProduct = PricedProduct> = {
	lines: CartLine<P>[];
	count: number;
	subtotalCents: number;
	discountCents: number;
	totalCents: number;
};

/** What the discount needs from an offer (see core/offers' OfferView). */
export type Discount = { kind: 'percent' | 'amount'; value: number; currency: string | null; productScope: string[] | null };

/**
 * Prices the cart with an offer applied: a percentage of the products it covers (all, unless the offer names
 * some), or a fixed amount off them, never below zero. An amount in another currency does not apply. Items the
 * catalogue does not know (a product withdrawn since) are left out rather than sold at a made-up price.
 */
export function priceCart<P extends PricedProduct>(
	items: readonly CartLineItem[],
	productById: (id: string) => P | undefined,
	discount: Discount | null,
	currency: string
): PricedCart<P> {
	const covers = (p: P) => discount !== null && (discount.productScope === null || discount.productScope.includes(p.id));
	const lines: CartLine<P>[] = [];
	for (const item of items) {
		const product = productById(item.productId);
		if (product) lines.push({ product, qty: item.qty, lineCents: product.priceCents * item.qty, discounted: covers(product) });
	}
	const subtotalCents = lines.reduce((sum, l) => sum + l.lineCents, 0);
	const coveredCents = lines.filter((l) => l.discounted).reduce((sum, l) => sum + l.lineCents, 0);
	let discountCents = 0;
	if (discount?.kind === 'percent') discountCents = Math.round((coveredCents * discount.value) / 100);
	else if (discount?.kind === 'amount' && (discount.currency ?? currency) === currency)
		discountCents = Math.min(Math.round(discount.value * 100), coveredCents);
	return { lines, count: lines.reduce((n, l) => n + l.qty, 0), subtotalCents, discountCents, totalCents: subtotalCents - discountCents };
}

/** A catalogue product (price in currency units) as pricing reads it: SKU as id, price in cents. */
export function pricedProduct(p: Product): PricedProduct & { currency: string } {
	return { id: p.sku, name: p.name, priceCents: Math.round(p.price * 100), currency: p.currency };
}
