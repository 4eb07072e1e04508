import { priceCart as priceWith, type Discount, type PricedCart } from '$core/commerce/pricing';
import type { CartLineItem } from '$core/commerce/carts';
import { productById, type Product } from './catalog';

export type CartItem = CartLineItem;

/** The demo shop prices from its own catalogue, as a customer's e-commerce site would (core/commerce/pricing.ts). */
export function priceCart(items: readonly CartItem[], discount: Discount | null, currency: string): PricedCart<Product> {
	return priceWith(items, productById, discount, currency);
}
