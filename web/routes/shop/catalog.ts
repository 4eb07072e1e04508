/**
 * The demo shop's catalogue: a constant, because the shop stands in for the customer's own e-commerce site
 * (which owns products and prices) and only shows what an integration with Omnicanal looks like. Prices in
 * cents, one currency.
 */
export type ProductArt = 'shirt' | 'jacket' | 'bag' | 'shoe' | 'scarf' | 'mug';
export type Product = { id: string; name: string; priceCents: number; blurb: string; art: ProductArt; tint: string };

export const SHOP_NAME = 'Maison Lumen';
export const CURRENCY = 'EUR';

export const products: readonly Product[] = [
	{ id: 'linen-shirt', name: 'Linen shirt', priceCents: 5900, blurb: 'Washed French linen, relaxed fit. Cool all summer long.', art: 'shirt', tint: '#e7dcc8' },
	{ id: 'denim-jacket', name: 'Denim jacket', priceCents: 8900, blurb: 'Selvedge denim that softens with every wear.', art: 'jacket', tint: '#c9d6ea' },
	{ id: 'canvas-tote', name: 'Canvas tote', priceCents: 2900, blurb: 'Heavy cotton canvas with leather handles.', art: 'bag', tint: '#dfe8d5' },
	{ id: 'leather-sneakers', name: 'Leather sneakers', priceCents: 11900, blurb: 'Full-grain leather, stitched rubber soles.', art: 'shoe', tint: '#f1e4de' },
	{ id: 'wool-scarf', name: 'Wool scarf', priceCents: 3900, blurb: 'Merino and cashmere, woven in the Vosges.', art: 'scarf', tint: '#ecd5d9' },
	{ id: 'ceramic-mug', name: 'Ceramic mug', priceCents: 1800, blurb: 'Hand-glazed stoneware, 350 ml.', art: 'mug', tint: '#dde3e6' }
];

export function productById(id: string | null | undefined): Product | undefined {
	return id ? products.find((p) => p.id === id) : undefined;
}

const money = new Intl.NumberFormat('en-IE', { style: 'currency', currency: CURRENCY });

export function formatPrice(cents: number): string {
	return money.format(cents / 100);
}
