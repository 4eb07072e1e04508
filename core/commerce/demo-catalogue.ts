/**
 * The demo's catalogue and stock: Maison Lumen's products (the demo shop at /shop reads them as its own
 * catalogue) and what each demo store has on its shelf. `npm start`'s demo loads them through the same
 * functions as `PUT /api/v1/products` and `PUT /api/v1/stores/{id}/stock`. Prices in cents for the shop.
 */
export type DemoArt = 'shirt' | 'jacket' | 'bag' | 'shoe' | 'scarf' | 'mug';
export type DemoProduct = { id: string; name: string; priceCents: number; category: string; blurb: string; art: DemoArt; tint: string };

export const DEMO_CURRENCY = 'EUR';

export const demoProducts: readonly DemoProduct[] = [
	{
		id: 'linen-shirt',
		name: 'Linen shirt',
		priceCents: 5900,
		category: 'tops',
		blurb: 'Washed French linen, relaxed fit. Cool all summer long.',
		art: 'shirt',
		tint: '#e7dcc8'
	},
	{
		id: 'denim-jacket',
		name: 'Denim jacket',
		priceCents: 8900,
		category: 'outerwear',
		blurb: 'Selvedge denim that softens with every wear.',
		art: 'jacket',
		tint: '#c9d6ea'
	},
	{
		id: 'canvas-tote',
		name: 'Canvas tote',
		priceCents: 2900,
		category: 'accessories',
		blurb: 'Heavy cotton canvas with leather handles.',
		art: 'bag',
		tint: '#dfe8d5'
	},
	{
		id: 'leather-sneakers',
		name: 'Leather sneakers',
		priceCents: 11900,
		category: 'shoes',
		blurb: 'Full-grain leather, stitched rubber soles.',
		art: 'shoe',
		tint: '#f1e4de'
	},
	{
		id: 'wool-scarf',
		name: 'Wool scarf',
		priceCents: 3900,
		category: 'accessories',
		blurb: 'Merino and cashmere, woven in the Vosges.',
		art: 'scarf',
		tint: '#ecd5d9'
	},
	{ id: 'ceramic-mug', name: 'Ceramic mug', priceCents: 1800, category: 'home', blurb: 'Hand-glazed stoneware, 350 ml.', art: 'mug', tint: '#dde3e6' }
];

/**
 * Stock by store, chosen to show every case on a product page: "3 left at Paris Marais" (linen shirt), not in
 * Paris but in Lyon and Bordeaux (denim jacket: collect there, or order in store and have it delivered), on no
 * shelf at all (sneakers: endless aisle only).
 */
export const demoStock: Readonly<Record<string, Record<string, number>>> = {
	'paris-01': { 'linen-shirt': 3, 'denim-jacket': 0, 'canvas-tote': 12, 'leather-sneakers': 0, 'wool-scarf': 5, 'ceramic-mug': 20 },
	'lyon-01': { 'linen-shirt': 8, 'denim-jacket': 2, 'canvas-tote': 4, 'leather-sneakers': 0, 'wool-scarf': 0, 'ceramic-mug': 9 },
	'bordeaux-01': { 'linen-shirt': 0, 'denim-jacket': 4, 'canvas-tote': 6, 'leather-sneakers': 0, 'wool-scarf': 2, 'ceramic-mug': 0 },
	'brussels-01': { 'linen-shirt': 5, 'denim-jacket': 0, 'canvas-tote': 0, 'leather-sneakers': 0, 'wool-scarf': 7, 'ceramic-mug': 3 }
};
