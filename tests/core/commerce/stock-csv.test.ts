import { describe, expect, it } from 'vitest';
import { csvRecords, MAX_STOCK_CSV_ROWS, parseStockCsv } from '../../../core/commerce/stock-csv';

describe('stock CSV', () => {
	it('reads store,sku,quantity with or without a header, CRLF, quotes and a byte-order mark', () => {
		const text = '\ufeffstore,sku,quantity\r\nparis-01,linen-shirt,3\r\n"lyon-01","denim-jacket", 12 \r\n\r\n';
		expect(parseStockCsv(text)).toEqual({
			rows: [
				{ line: 2, storeId: 'paris-01', sku: 'linen-shirt', quantity: 3 },
				{ line: 3, storeId: 'lyon-01', sku: 'denim-jacket', quantity: 12 }
			],
			errors: []
		});
		expect(parseStockCsv('paris-01;mug;0\n').rows).toEqual([{ line: 1, storeId: 'paris-01', sku: 'mug', quantity: 0 }]);
	});

	it('reports each bad line with its number and a reason, and keeps the good ones', () => {
		const text = [
			'store,sku,quantity',
			'paris-01,linen-shirt,3',
			'paris-01,linen-shirt,4',
			',mug,1',
			'paris-01,has space,1',
			'paris-01,mug,-2',
			'paris-01,mug,2.5',
			'paris-01,mug',
			'paris-01,mug,abc',
			'lyon-01,mug,1'
		].join('\n');
		const { rows, errors } = parseStockCsv(text);
		expect(rows.map((r) => r.line)).toEqual([2, 10]);
		expect(errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 9]);
		expect(errors[0]!.message).toContain('already on line 2');
		expect(errors[1]!.message).toBe('The store is empty.');
		expect(errors[2]!.message).toContain('no spaces');
		expect(errors[3]!.message).toContain('“-2” is not a whole number');
		expect(errors[4]!.message).toContain('“2.5”');
		expect(errors[5]!.message).toBe('Expected 3 columns (store, sku, quantity), found 2.');
	});

	it('keeps quoted commas and line breaks inside one field, and counts lines across them', () => {
		expect(csvRecords('a,"b,c",d\n"x\ny",z,"q""q"\nlast,1,2', ',')).toEqual([
			{ line: 1, fields: ['a', 'b,c', 'd'] },
			{ line: 2, fields: ['x\ny', 'z', 'q"q'] },
			{ line: 4, fields: ['last', '1', '2'] }
		]);
	});

	it('refuses an empty file and one with too many lines, without reading them as stock', () => {
		expect(parseStockCsv('store,sku,quantity\n').errors).toEqual([{ line: 0, message: 'The file has no stock lines.' }]);
		const huge = Array.from({ length: MAX_STOCK_CSV_ROWS + 1 }, (_, i) => `paris-01,s${i},1`).join('\n');
		const parsed = parseStockCsv(huge);
		expect(parsed.rows).toEqual([]);
		expect(parsed.errors[0]!.message).toContain('more than');
	});

	it('reports a quote that is never closed with its line, and keeps nothing', () => {
		expect(parseStockCsv('store,sku,quantity\nparis-01,mug,1\nparis-01,"mug,3\n')).toEqual({
			rows: [],
			errors: [{ line: 3, message: 'The file is not valid CSV: a quoted field is never closed.' }]
		});
	});
});
