import { getTableName, is } from 'drizzle-orm';
import { PgTable } from 'drizzle-orm/pg-core';
import { describe, expect, it } from 'vitest';
import * as schema from '../../../core/db/schema/index';
import { erasureCoverage, redactor } from '../../../core/identity/erase';

/**
 * Erasure must say, for every table, what it does there and why (core/identity/erase.ts). A table added to the
 * schema without an entry fails here: decide whether it holds people's identifiers (and scrub it) or not.
 */
describe('erasure coverage', () => {
	const tables = Object.values(schema as Record<string, unknown>)
		.filter((v): v is PgTable => is(v, PgTable))
		.map((t) => getTableName(t))
		.sort();

	it('declares every table of the schema as scrubbed, deleted, hashed or identifier-free, with a reason', () => {
		expect(tables.length).toBeGreaterThan(20);
		const missing = tables.filter((t) => !(t in erasureCoverage));
		expect(missing, 'add these tables to erasureCoverage in core/identity/erase.ts').toEqual([]);
		for (const t of tables) expect(erasureCoverage[t]!.why.length, t).toBeGreaterThan(10);
	});

	it('lists no table that no longer exists', () => {
		expect(Object.keys(erasureCoverage).filter((t) => !tables.includes(t))).toEqual([]);
	});

	it('redacts every spelling of a value in text and JSON, keys included', () => {
		const redact = redactor(['zoe@example.test', '+33612349876']);
		expect(redact.text('Bounce for ZOE@example.TEST (+33612349876)')).toBe('Bounce for [erased] ([erased])');
		expect(redact.json({ to: 'zoe@example.test', n: 2, list: ['x +33612349876'], 'zoe@example.test': true })).toEqual({
			to: '[erased]',
			n: 2,
			list: ['x [erased]'],
			'[erased]': true
		});
		expect(redact.text(null)).toBeNull();
	});
});
