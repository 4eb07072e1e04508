import { parse } from 'csv-parse/sync';
import type { Db } from '../db/client';
import { CommerceError } from './errors';
import { Sku } from './products';
import { setStockForStores, StockLine, type StockUpdate } from './stock';

/** A stock file larger than this is refused before it is read (about 20,000 lines of `store,sku,quantity`). */
export const MAX_STOCK_CSV_BYTES = 1024 * 1024;
export const MAX_STOCK_CSV_ROWS = 20_000;

export type StockCsvRow = { line: number; storeId: string; sku: string; quantity: number };
export type StockCsvError = { line: number; message: string };
export type StockCsvParse = { rows: StockCsvRow[]; errors: StockCsvError[] };

export class CsvSyntaxError extends Error {
	override name = 'CsvSyntaxError';
	constructor(
		readonly line: number,
		message: string
	) {
		super(message);
	}
}

/** Line breaks inside a record's quoted fields: csv-parse reports the line a record ends on; people want the first. */
const breaksIn = (fields: string[]) => fields.reduce((n, f) => n + (f.match(/\r\n|\r|\n/g)?.length ?? 0), 0);

/**
 * Splits CSV text into records with csv-parse (RFC 4180: quoted fields may hold separators, doubled quotes and
 * line breaks; CRLF or LF; blank lines skipped), each with the line it starts on. A quote never closed throws
 * CsvSyntaxError with its line.
 */
export function csvRecords(text: string, separator: string): { line: number; fields: string[] }[] {
	try {
		const parsed = parse(text, { delimiter: separator, relax_column_count: true, relax_quotes: true, skip_empty_lines: true, info: true }) as unknown as Array<{
			record: string[];
			info: { lines: number };
		}>;
		return parsed.map(({ record, info }) => ({ line: info.lines - breaksIn(record), fields: record }));
	} catch (err) {
		const { code, lines } = err as { code?: string; lines?: number };
		const reason = code === 'CSV_QUOTE_NOT_CLOSED' ? 'a quoted field is never closed' : (err as Error).message;
		throw new CsvSyntaxError(lines ?? 0, `The file is not valid CSV: ${reason}.`);
	}
}

/**
 * Reads a stock file: `store,sku,quantity`, one line per store and SKU, with or without that header. Every bad
 * line is reported with its line number and nothing of it is kept; the caller decides whether to apply the rest.
 */
export function parseStockCsv(input: string): StockCsvParse {
	const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // a spreadsheet's byte-order mark
	const firstLine = text.slice(0, text.search(/\r|\n|$/));
	const separator = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
	let records: { line: number; fields: string[] }[];
	try {
		records = csvRecords(text, separator);
	} catch (err) {
		if (err instanceof CsvSyntaxError) return { rows: [], errors: [{ line: err.line, message: err.message }] };
		throw err;
	}
	const errors: StockCsvError[] = [];
	const rows: StockCsvRow[] = [];
	const header = records[0]?.fields.map((f) => f.trim().toLowerCase());
	const start = header && header[0] === 'store' && header[1] === 'sku' ? 1 : 0;
	if (records.length - start > MAX_STOCK_CSV_ROWS)
		return { rows: [], errors: [{ line: 0, message: `The file has more than ${MAX_STOCK_CSV_ROWS} lines: split it.` }] };
	const seen = new Map<string, number>();
	for (const { line, fields } of records.slice(start)) {
		if (fields.length !== 3) {
			errors.push({ line, message: `Expected 3 columns (store, sku, quantity), found ${fields.length}.` });
			continue;
		}
		const [storeRaw, skuRaw, qtyRaw] = fields.map((f) => f.trim()) as [string, string, string];
		if (!storeRaw) {
			errors.push({ line, message: 'The store is empty.' });
			continue;
		}
		const sku = Sku.safeParse(skuRaw);
		if (!sku.success) {
			errors.push({ line, message: sku.error.issues[0]!.message });
			continue;
		}
		const quantity = /^\d{1,7}$/.test(qtyRaw) ? Number(qtyRaw) : NaN;
		const parsed = StockLine.safeParse({ sku: sku.data, quantity });
		if (!parsed.success) {
			errors.push({ line, message: `The quantity “${qtyRaw.slice(0, 20)}” is not a whole number from 0 to 1,000,000.` });
			continue;
		}
		const key = `${storeRaw}\u0000${sku.data}`;
		const earlier = seen.get(key);
		if (earlier !== undefined) {
			errors.push({ line, message: `${storeRaw} / ${sku.data} is already on line ${earlier}.` });
			continue;
		}
		seen.set(key, line);
		rows.push({ line, storeId: storeRaw, sku: sku.data, quantity: parsed.data.quantity });
	}
	if (rows.length === 0 && errors.length === 0) errors.push({ line: 0, message: 'The file has no stock lines.' });
	return { rows, errors };
}

export type StockImport = { ok: true; update: StockUpdate; rows: number } | { ok: false; errors: StockCsvError[] };

/**
 * Applies a stock file all or nothing: every line is checked (format, known store, known SKU) and any error
 * leaves the stock untouched, so fixing the file and uploading it again is always safe.
 */
export async function importStockCsv(
	db: Db,
	text: string,
	opts: { knownStores: ReadonlySet<string>; knownSkus: (skus: string[]) => Promise<Set<string>> },
	now = new Date()
): Promise<StockImport> {
	const { rows, errors } = parseStockCsv(text);
	const known = await opts.knownSkus([...new Set(rows.map((r) => r.sku))]);
	for (const r of rows) {
		if (!opts.knownStores.has(r.storeId)) errors.push({ line: r.line, message: `There is no store “${r.storeId}”.` });
		else if (!known.has(r.sku)) errors.push({ line: r.line, message: `The SKU ${r.sku} is not in the catalogue.` });
	}
	if (errors.length) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
	const byStore = new Map<string, StockLine[]>();
	for (const r of rows) byStore.set(r.storeId, [...(byStore.get(r.storeId) ?? []), { sku: r.sku, quantity: r.quantity }]);
	try {
		return { ok: true, update: await setStockForStores(db, byStore, now), rows: rows.length };
	} catch (err) {
		// A store or product deleted between the check and the write.
		if (err instanceof CommerceError) return { ok: false, errors: [{ line: 0, message: err.message }] };
		throw err;
	}
}
