/**
 * Dates as the journeys pages show them. One fixed zone and locale, so the server's render and the browser's
 * hydration print the same text.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatDate(d: Date | string | null | undefined): string {
	if (!d) return '—';
	return `${dateTime.format(new Date(d))} UTC`;
}

const percent = new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 });

/** A conversion rate (0–1) as "12.5%", or "—" before anyone entered. */
export function formatRate(rate: number | null): string {
	return rate === null ? '—' : percent.format(rate);
}
