import { describe, expect, it } from 'vitest';
import { generateCode } from '../../core/offers/codes';
import { qrResponse } from '../../core/offers/http';

// Finding from the 2026-11-30 review: the public QR endpoints answered 404 for unknown codes and 200 for real
// ones, an anonymous oracle for guessing codes (each guess costing a database lookup). They now draw any
// well-formed code without a lookup (no database is passed: none can be reached), so both answers are the same.
describe('public QR endpoints', () => {
	it('answer an unknown code exactly like a real one: same status, headers and kind of body', async () => {
		for (const format of ['svg', 'png'] as const) {
			const answers = await Promise.all([generateCode('SPRING'), 'NOPE-2222-2222', 'spring-7kq4-m2xd'].map((code) => qrResponse(code, format)));
			for (const res of answers) {
				expect(res.status).toBe(200);
				expect(res.headers.get('content-type')).toBe(format === 'svg' ? 'image/svg+xml' : 'image/png');
				expect(res.headers.get('cache-control')).toBe('public, max-age=86400');
			}
		}
	});

	it('draw the code in its stored form and refuse what cannot be a code (not a free QR generator)', async () => {
		const lower = await (await qrResponse(' spring-7kq4-m2xd ', 'svg')).text();
		expect(lower).toBe(await (await qrResponse('SPRING-7KQ4-M2XD', 'svg')).text());
		for (const bad of ['https://evil.example/', 'a'.repeat(65), '-X', 'X/Y', '']) expect((await qrResponse(bad, 'svg')).status, bad).toBe(400);
	});
});
