/** numeric(14,2): the largest lifetime value the column holds. Sums saturate here instead of failing the batch. */
const MAX_CENTS = 99_999_999_999_999;
/** One order above this is a tracking bug (or an attack), not revenue: it counts as an order worth nothing. */
const MAX_ORDER = 10_000_000_000;

/** Event names compared loosely, so Segment's "Order Completed" and our `order_completed` are the same. */
export function eventKey(name: string): string {
	return name
		.trim()
		.toLowerCase()
		.replace(/[\s-]+/g, '_');
}

function amount(value: unknown): number | undefined {
	const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
	return Number.isFinite(n) ? n : undefined;
}

/** The order's value from `properties.total`, else `revenue` (Segment's e-commerce spec); 0 when absent or absurd. */
export function orderTotal(properties: Record<string, unknown>): number {
	const total = amount(properties.total) ?? amount(properties.revenue) ?? 0;
	return total >= 0 && total < MAX_ORDER ? total : 0;
}

/** Adds an amount to a numeric(14,2) string in whole cents, saturating at the column's maximum. */
export function addMoney(current: string, add: number): string {
	const cents = Math.round(Number(current) * 100) + Math.round(add * 100);
	const bounded = Math.min(Math.max(cents, 0), MAX_CENTS);
	return (bounded / 100).toFixed(2);
}
