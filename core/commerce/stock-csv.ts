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

/**
 * Splits CSV text into records (RFC 4180: quoted fields may hold commas, quotes doubled, line breaks; CRLF or
 * LF; `;` accepted as the separator when the header uses it, as spreadsheets in French locales write). Pure and
 * linear: no regular expressions over the whole text, no eval.
 */
export function csvRecords(text: string, separator: string): { line: number; fields: string[] }[] {
	const out: { line: number; fields: string[] }[] = [];
	let fields: string[] = [];
	let field = '';
	let quoted = false;
	let line = 1;
	let startLine = 1;
	const end = () => {
		fields.push(field);
		if (fields.length > 1 || fields[0]!.trim() !== '') out.push({ line: startLine, fields });
		fields = [];
		field = '';
		startLine = line;
	};
	for (let i = 0; i < text.length; i++) {
		const c = text[i]!;
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else {
				if (c === '\n') line++;
				field += c;
			}
		} else if (c === '"' && field.trim() === '') {
			quoted = true;
			field = '';
		} else if (c === separator) {
			fields.push(field);
			field = '';
		} else if (c === '\n' || c === '\r') {
			if (c === '\r' && text[i + 1] === '\n') i++;
			line++;
			end();
		} else field += c;
	}
	if (field !== '' || fields.length) end();
	return out;
}

/**
 * Reads a stock file: `store,sku,quantity`, one line per store and SKU, with or without that header. Every bad
 * line is reported with its line number and nothing of it is kept; the caller decides whether to apply the rest.
 */
export function parseStockCsv(input: string): StockCsvParse {
	const text = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input; // a spreadsheet's byte-order mark
	const firstLine = text.slice(0, text.search(/\r|\n|$/));
	const separator = firstLine.includes(';') && !firstLine.includes(',') ? ';' : ',';
	const records = csvRecords(text, separator);
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
