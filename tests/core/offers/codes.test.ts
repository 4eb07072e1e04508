import { describe, expect, it } from 'vitest';
import { CODE_ALPHABET, generateCode, normalizeCode } from '../../../core/offers/codes';
import { formatOfferValue } from '../../../core/offers/view';

describe('offer codes', () => {
	it('uses no look-alike characters', () => {
		for (const c of '01ILOU') expect(CODE_ALPHABET).not.toContain(c);
		expect(new Set(CODE_ALPHABET).size).toBe(CODE_ALPHABET.length);
	});

	it('formats PREFIX-XXXX-XXXX with a cleaned-up prefix, or XXXX-XXXX without one', () => {
		expect(generateCode(' spring sale! ')).toMatch(/^SPRINGSALE-[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		expect(generateCode()).toMatch(/^[2-9A-Z]{4}-[2-9A-Z]{4}$/);
		const many = new Set(Array.from({ length: 2000 }, () => generateCode()));
		expect(many.size).toBe(2000);
	});

	it('normalizes what a clerk types', () => {
		expect(normalizeCode('  spring-7kq4 -m2xd ')).toBe('SPRING-7KQ4-M2XD');
	});

	it('shows values the way a till does', () => {
		expect(formatOfferValue({ kind: 'percent', value: 20, currency: null })).toBe('20%');
		expect(formatOfferValue({ kind: 'amount', value: 10, currency: 'EUR' })).toBe('10.00 EUR');
	});
});
