import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeId, normalizePhone, normalizeTimeZone, regionFromLocale, toRegion } from '../../../core/identity/normalize';

describe('normalizeEmail', () => {
	it('trims and lower-cases', () => {
		expect(normalizeEmail('  Ada.Lovelace@Example.COM ')).toBe('ada.lovelace@example.com');
	});
	it.each([[''], ['not an email'], ['a@'], ['@b'], ['a b@c.d'], [42], [null], [`${'x'.repeat(320)}@e.com`]])('rejects %j', (raw) => {
		expect(normalizeEmail(raw)).toBeNull();
	});
});

describe('normalizePhone', () => {
	it('formats national numbers as E.164 in the default region (US)', () => {
		expect(normalizePhone('(415) 555-0100')).toBe('+14155550100');
		expect(normalizePhone('415.555.0100')).toBe('+14155550100');
	});
	it('keeps international numbers whatever the region', () => {
		expect(normalizePhone('+33 6 12 34 56 78', 'US')).toBe('+33612345678');
		expect(normalizePhone('+44 7700 900123')).toBe('+447700900123');
	});
	it('reads national numbers in the given region', () => {
		expect(normalizePhone('06 12 34 56 78', 'FR')).toBe('+33612345678');
	});
	it('accepts fictional but well-formed numbers (555) that stores type in demos', () => {
		expect(normalizePhone('+1 555 123 4567')).toBe('+15551234567');
	});
	it.each([['123'], ['abc'], [''], [null], ['+1 415 555 0100 ext 9'.repeat(5)]])('rejects %j', (raw) => {
		expect(normalizePhone(raw)).toBeNull();
	});
});

describe('regions', () => {
	it('accepts supported ISO codes in any case', () => {
		expect(toRegion('fr')).toBe('FR');
		expect(toRegion('XX')).toBeNull();
		expect(toRegion('France')).toBeNull();
	});
	it('takes the region of a locale', () => {
		expect(regionFromLocale('fr-FR')).toBe('FR');
		expect(regionFromLocale('en_GB')).toBe('GB');
		expect(regionFromLocale('en')).toBeNull();
	});
});

describe('normalizeId', () => {
	it('keeps case, trims, accepts numbers', () => {
		expect(normalizeId('  User-42 ')).toBe('User-42');
		expect(normalizeId(42)).toBe('42');
	});
	it('rejects blanks, non-finite numbers and oversized ids', () => {
		expect(normalizeId('   ')).toBeNull();
		expect(normalizeId(Number.NaN)).toBeNull();
		expect(normalizeId('x'.repeat(513))).toBeNull();
	});
});

describe('normalizeTimeZone', () => {
	it('canonicalizes known IANA zones and rejects others', () => {
		expect(normalizeTimeZone('Europe/Paris')).toBe('Europe/Paris');
		expect(normalizeTimeZone('europe/paris')).toBe('Europe/Paris');
		expect(normalizeTimeZone('Mars/Base')).toBeNull();
		expect(normalizeTimeZone(7)).toBeNull();
	});
});
