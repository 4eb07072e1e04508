/**
 * Times on the till are read on the store's own clock (the associate's), with the zone spelled out once in the
 * page header; the server renders them so hydration in another zone shows the same text.
 */
export function storeTime(d: Date | string | null | undefined, timeZone: string): string {
	if (!d) return '—';
	return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(d));
}

export function storeDay(d: Date | string, timeZone: string): string {
	return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone }).format(new Date(d));
}

/** "15% off" or "10.00 EUR off", as the customer was told. */
export function offerValue(o: { kind: 'percent' | 'amount'; value: number; currency: string | null }): string {
	return o.kind === 'percent' ? `${o.value}% off` : `${o.value.toFixed(2)} ${o.currency ?? ''} off`.replace('  ', ' ');
}
