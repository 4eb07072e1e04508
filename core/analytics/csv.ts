/**
 * CSV as RFC 4180 says (comma, CRLF, fields quoted when they hold a comma, quote or line break, quotes
 * doubled), with text cells that a spreadsheet would run as a formula (= + - @, or a leading tab or CR)
 * prefixed by an apostrophe (OWASP's advice against CSV injection). Numbers are written as numbers.
 */
export type Cell = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: Cell): string {
	if (value === null || value === undefined) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	const text = FORMULA_START.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function csvLine(cells: readonly Cell[]): string {
	return `${cells.map(csvCell).join(',')}\r\n`;
}

/** A stream of CSV bytes: the header, then each row as it is pulled (a large table is never one string). */
export function csvStream(header: readonly string[], rows: Iterable<readonly Cell[]>): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	const iterator = rows[Symbol.iterator]();
	let headerSent = false;
	return new ReadableStream<Uint8Array>({
		pull(controller) {
			if (!headerSent) {
				headerSent = true;
				controller.enqueue(encoder.encode(csvLine(header)));
				return;
			}
			// A few hundred rows per chunk: fewer, larger writes.
			let chunk = '';
			for (let i = 0; i < 500; i++) {
				const next = iterator.next();
				if (next.done) {
					if (chunk) controller.enqueue(encoder.encode(chunk));
					controller.close();
					return;
				}
				chunk += csvLine(next.value);
			}
			controller.enqueue(encoder.encode(chunk));
		}
	});
}
