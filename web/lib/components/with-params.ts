/** A list page's URL (as a relative `?query`) with some parameters changed: `undefined` removes one. */
export function withParams(url: URL, changes: Record<string, string | number | undefined>): string {
	const params = new URLSearchParams(url.searchParams);
	for (const [k, v] of Object.entries(changes)) {
		if (v === undefined) params.delete(k);
		else params.set(k, String(v));
	}
	const qs = params.toString();
	return qs ? `?${qs}` : '?';
}
