/** Timings of one series of calls: one latency per call (an event, or a batch of them). */
export type Sample = { events: number; seconds: number; latenciesMs: number[]; capped: boolean };

/** One case: our path, and a raw INSERT of the same rows in the same state measured beside it. */
export type CaseResult = { database: string; name: string; ours: Sample; raw: Sample };

/** Nearest-rank percentile of an unsorted list (`p` in 0–100). */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const eventsPerSecond = (s: Sample): number => s.events / s.seconds;

/** Ours ÷ raw throughput. */
export const ratio = (r: CaseResult): number => eventsPerSecond(r.ours) / eventsPerSecond(r.raw);

export function ratioText(r: CaseResult): string {
	const x = ratio(r);
	return x >= 1 ? `${x.toFixed(2)}×` : `${x.toFixed(3)}× (1/${(1 / x).toFixed(1)})`;
}

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const ms = (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2));

/** A compact fixed-width table: events/s, p50 and p99 per call for ours and the raw INSERT, and the ratio. */
export function formatTable(rows: readonly CaseResult[]): string {
	const header = ['database', 'case', 'events', 'events/s', 'p50 ms', 'p99 ms', 'raw events/s', 'raw p50', 'raw p99', 'ours/raw'];
	const body = rows.map((r) => [
		r.database,
		r.name + (r.ours.capped ? ' *' : ''),
		int(r.ours.events),
		int(eventsPerSecond(r.ours)),
		ms(percentile(r.ours.latenciesMs, 50)),
		ms(percentile(r.ours.latenciesMs, 99)),
		int(eventsPerSecond(r.raw)),
		ms(percentile(r.raw.latenciesMs, 50)),
		ms(percentile(r.raw.latenciesMs, 99)),
		ratioText(r)
	]);
	const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i]!.length)));
	const left = new Set([0, 1, 9]);
	const line = (cells: string[]) =>
		cells
			.map((c, i) => (left.has(i) ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
			.join('  ')
			.trimEnd();
	return [line(header), line(widths.map((w) => '-'.repeat(w))), ...body.map(line)].join('\n');
}
