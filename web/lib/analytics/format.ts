/** How the analytics pages write figures: one place, so the dashboard, canvas and tables agree. */
const integer = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });

export const count = (n: number | null | undefined): string => (n === null || n === undefined ? '—' : integer.format(n));

export function percent(x: number | null | undefined, digits = 1): string {
	return x === null || x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`;
}

/** A difference in conversion rate, in percentage points with its sign. */
export function points(x: number | null | undefined, digits = 1): string {
	if (x === null || x === undefined || !Number.isFinite(x)) return '—';
	const v = x * 100;
	return `${v > 0 ? '+' : v < 0 ? '−' : '±'}${Math.abs(v).toFixed(digits)} pp`;
}

export function money(x: number | null | undefined): string {
	return x === null || x === undefined ? '—' : new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(x);
}

/** A duration the way a marketer says it: 45 s, 12 min, 3.5 h, 2.1 days. */
export function duration(ms: number | null | undefined): string {
	if (ms === null || ms === undefined) return '—';
	const s = ms / 1000;
	if (s < 90) return `${Math.round(s)} s`;
	if (s < 90 * 60) return `${Math.round(s / 60)} min`;
	if (s < 36 * 3600) return `${(s / 3600).toFixed(1)} h`;
	return `${(s / 86400).toFixed(1)} days`;
}

export const ratio = (a: number, b: number): number | null => (b > 0 ? a / b : null);

const CHANNEL_NAMES: Record<string, string> = { email: 'E-mail', sms: 'SMS', ads: 'Ad audiences', webhook: 'Webhook', store: 'Store' };
export const channelName = (c: string): string => CHANNEL_NAMES[c] ?? c;
