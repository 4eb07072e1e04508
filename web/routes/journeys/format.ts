/**
 * Dates as the journeys pages show them. One fixed zone and locale, so the server's render and the browser's
 * hydration print the same text.
 */
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatDate(d: Date | string | null | undefined): string {
	if (!d) return '—';
	return `${dateTime.format(new Date(d))} UTC`;
}
