/** Dates as the customer pages show them: one zone and locale, so server render and hydration agree. */
const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export function formatDate(d: Date | string | null | undefined): string {
	return d ? `${dateTime.format(new Date(d))} UTC` : '—';
}

/** The same instant on the customer's own clock (quiet hours and sends use it). */
export function formatInZone(d: Date | string, timeZone: string | null): string | null {
	if (!timeZone) return null;
	try {
		return new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone }).format(new Date(d));
	} catch {
		return null;
	}
}

export function formatMoney(value: string | number): string {
	return Number(value).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A trait value for display: strings as they are, anything else as JSON. */
export function formatValue(value: unknown): string {
	return typeof value === 'string' ? value : JSON.stringify(value);
}
