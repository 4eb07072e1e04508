import { describe, expect, it } from 'vitest';
import { formatHandoffCode, looksLikeCartToken, normalizeHandoffCode, signCartToken, verifyCartToken } from '../../../core/commerce/cart-token';

const SECRET = 'test-secret';
const NOW = Date.parse('2026-11-30T10:00:00Z');
const claim = { cartId: '6f1c2b7e-0d1a-4a53-9f77-2d9e1c0b5a10', code: 'K7M2QX', expiresAt: NOW + 15 * 60_000 };

describe('cart handoff token', () => {
	it('round-trips a claim before it expires', () => {
		const token = signCartToken(SECRET, claim);
		expect(looksLikeCartToken(token)).toBe(true);
		expect(token).toMatch(/^[A-Za-z0-9._-]+$/); // URL-safe: it is what the QR code encodes
		expect(verifyCartToken(SECRET, token, NOW)).toEqual({ ok: true, claim });
		expect(verifyCartToken(SECRET, `  ${token}\n`, NOW + 14 * 60_000).ok).toBe(true);
	});

	it('is expired at and after its expiry', () => {
		const token = signCartToken(SECRET, claim);
		expect(verifyCartToken(SECRET, token, claim.expiresAt)).toEqual({ ok: false, problem: 'expired' });
		expect(verifyCartToken(SECRET, token, claim.expiresAt + 1)).toEqual({ ok: false, problem: 'expired' });
	});

	it('refuses another secret and any edited payload as forged', () => {
		const token = signCartToken(SECRET, claim);
		expect(verifyCartToken('another-secret', token, NOW)).toEqual({ ok: false, problem: 'forged' });
		const [prefix, , sig] = token.split('.');
		const longer = Buffer.from(JSON.stringify({ c: claim.cartId, k: claim.code, e: claim.expiresAt + 86_400_000 })).toString('base64url');
		expect(verifyCartToken(SECRET, `${prefix}.${longer}.${sig}`, NOW)).toEqual({ ok: false, problem: 'forged' });
		const otherCart = Buffer.from(JSON.stringify({ ...claim, c: 'someone-elses-cart' })).toString('base64url');
		expect(verifyCartToken(SECRET, `${prefix}.${otherCart}.${sig}`, NOW)).toEqual({ ok: false, problem: 'forged' });
	});

	it('calls anything else malformed', () => {
		for (const input of ['', 'K7M2QX', 'occart1.', 'occart1.abc', 'occart1.a.b.c', 'https://example.test/?x=1']) {
			expect(verifyCartToken(SECRET, input, NOW)).toEqual({ ok: false, problem: 'malformed' });
		}
	});

	it('reads a typed code however it was typed', () => {
		expect(formatHandoffCode('K7M2QX')).toBe('K7M 2QX');
		expect(normalizeHandoffCode(' k7m 2qx ')).toBe('K7M2QX');
		expect(normalizeHandoffCode('k7m-2qx')).toBe('K7M2QX');
		expect(looksLikeCartToken('K7M 2QX')).toBe(false);
	});
});
