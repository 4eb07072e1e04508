/**
 * Dotted property paths found in sample objects (`cart_total`, `items.0.sku`, `address.city`), for the
 * builder's pickers. Arrays contribute their first element's shape under `.0`, which is how filters address
 * an element. Bounded in depth and count so one odd event cannot flood the picker.
 */
export function propertyPaths(samples: readonly unknown[], { maxDepth = 4, maxPaths = 300 } = {}): string[] {
	const counts = new Map<string, number>();
	const visit = (value: unknown, prefix: string, depth: number) => {
		if (prefix) counts.set(prefix, (counts.get(prefix) ?? 0) + 1);
		if (depth >= maxDepth || value === null || typeof value !== 'object') return;
		if (Array.isArray(value)) {
			if (value.length > 0 && prefix) visit(value[0], `${prefix}.0`, depth + 1);
			return;
		}
		for (const [key, child] of Object.entries(value)) {
			if (key === '') continue;
			visit(child, prefix ? `${prefix}.${key}` : key, depth + 1);
		}
	};
	for (const sample of samples) visit(sample, '', 0);
	// Most common first, then alphabetical: the paths a marketer most likely wants come up first.
	return [...counts.entries()]
		.sort(([a, na], [b, nb]) => nb - na || a.localeCompare(b))
		.slice(0, maxPaths)
		.map(([path]) => path);
}
