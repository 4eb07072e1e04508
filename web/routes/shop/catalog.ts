import { DEMO_CURRENCY, demoProducts, type DemoArt, type DemoProduct } from '$core/commerce/demo-catalogue';

/**
 * The demo shop's catalogue: the shop stands in for the customer's own e-commerce site (which owns products and
 * prices) and only shows what an integration with Omnicanal looks like. The same products are loaded into
 * Omnicanal's catalogue (SKU = product id) by the demo, which is how stock and offers name them. Prices in cents.
 */
export type ProductArt = DemoArt;
export type Product = DemoProduct;

export const SHOP_NAME = 'Maison Lumen';
export const CURRENCY = DEMO_CURRENCY;

export const products: readonly Product[] = demoProducts;

export function productById(id: string | null | undefined): Product | undefined {
	return id ? products.find((p) => p.id === id) : undefined;
}

const money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY });

export function formatPrice(cents: number): string {
	return money.format(cents / 100);
}
