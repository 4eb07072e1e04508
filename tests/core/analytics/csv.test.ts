import { describe, expect, it } from 'vitest';
import { csvCell, csvLine, csvStream } from '../../../core/analytics/csv';

describe('CSV export', () => {
	it('neutralises cells a spreadsheet would run as a formula (= + - @, leading tab or CR)', () => {
		expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`);
		expect(csvCell('+1+1')).toBe("'+1+1");
		expect(csvCell('-2+3')).toBe("'-2+3");
		expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
		expect(csvCell('\t=1')).toBe("'\t=1");
		expect(csvCell('\r=1')).toBe(`"'\r=1"`);
		expect(csvCell('Welcome = hello')).toBe('Welcome = hello');
	});

	it('writes numbers as numbers (a negative difference stays a number) and empty for null', () => {
		expect(csvCell(-0.25)).toBe('-0.25');
		expect(csvCell(Number.NaN)).toBe('');
		expect(csvCell(null)).toBe('');
		expect(csvCell(true)).toBe('true');
	});

	it('follows RFC 4180: commas, quotes and line breaks quoted, quotes doubled, CRLF line ends', () => {
		expect(csvLine(['a,b', 'say "hi"', 'two\nlines', 'plain', 3])).toBe('"a,b","say ""hi""","two\nlines",plain,3\r\n');
	});

	it('streams the header, then the rows', async () => {
		const rows = Array.from({ length: 1203 }, (_, i) => [`n${i}`, i]);
		const text = await new Response(csvStream(['id', 'value'], rows)).text();
		const lines = text.split('\r\n');
		expect(lines[0]).toBe('id,value');
		expect(lines[1203]).toBe('n1202,1202');
		expect(lines.length).toBe(1205); // header + rows + the empty string after the last CRLF
	});
});
