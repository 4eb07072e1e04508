import { productById, type Product } from './catalog';

export type CartItem = { productId: string; qty: number };
export type CartLine = { product: Product; qty: number; lineCents: number; discounted: boolean };
export type PricedCart = { lines: CartLine[]; count: number; subtotalCents: number; discountCents: number; totalCents: number };

/** What the discount needs from an offer (see core/offers' OfferView). */
export type Discount = { kind: 'percent' | 'amount'; value: number; currency: string | null; productScope: string[] | null };

/**
 * Prices the cart with an offer applied: a percentage of the products it covers (all, unless the offer names
 * some), or a fixed amount off them, never below zero. An amount in another currency does not apply.
 */
export function priceCart(items: readonly CartItem[], discount: Discount | null, currency: string): PricedCart {
	const covers = (p: Product) => discount !== null && (discount.productScope === null || discount.productScope.includes(p.id));
	const lines: CartLine[] = [];
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
