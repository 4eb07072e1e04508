import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../../core/graph');

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
		e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []
	);
}

describe('core/graph stays importable by Temporal workflows', () => {
	it('imports only zod and its own files', () => {
		const imports = sources(root).flatMap((file) =>
			[...readFileSync(file, 'utf8').matchAll(/(?:import|export)[^'"]*from\s+'([^']+)'/g)].map((m) => [relative(root, file), m[1]])
		);
		expect(imports.length).toBeGreaterThan(20);
		expect(imports.filter(([, spec]) => spec !== 'zod' && !spec?.startsWith('.'))).toEqual([]);
	});

	it('uses no clock, randomness or global I/O', () => {
		const banned = /\bDate\.now\(|new Date\(\)|Math\.random\(|\bprocess\.|\bfetch\(|\bsetTimeout\(|\bconsole\./;
		const offenders = sources(root).filter((file) => banned.test(readFileSync(file, 'utf8')));
		expect(offenders.map((f) => relative(root, f))).toEqual([]);
	});
});
