import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../../..');

/** The core functions that record an audit row when given an actor, and where the actor goes in each call. */
const audited = [
	'publish',
	'setStatus',
	'setArchived',
	'createApiKey',
	'revokeApiKey',
	'createUser',
	'disableUser',
	'enableUser',
	'setUserRole',
	'erasePerson',
	'exportCustomer'
];

function sources(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
		const path = join(dir, e.name);
		if (e.isDirectory()) return sources(path);
		return /\.(ts|svelte)$/.test(e.name) ? [path] : [];
	});
}

/** The text of the call's arguments: from the opening parenthesis to its match. */
function argumentsAt(text: string, open: number): string {
	let depth = 0;
	for (let i = open; i < text.length; i++) {
		if (text[i] === '(') depth++;
		else if (text[i] === ')' && --depth === 0) return text.slice(open + 1, i);
	}
	return text.slice(open + 1);
}

/**
 * The audit log is only as good as its callers: every call the web app makes to an audited core function passes
 * who acts (core/privacy/audit.ts). A route that calls one without an actor fails here, so no route forgets.
 */
describe('audited actions from the web app', () => {
	it('always pass an actor', () => {
		const missing: string[] = [];
		let calls = 0;
		for (const file of sources(join(root, 'web'))) {
			const text = readFileSync(file, 'utf8');
			for (const name of audited) {
				for (const m of text.matchAll(new RegExp(`(?<![\\w.$])${name}\\(`, 'g'))) {
					if (/function\s+$/.test(text.slice(Math.max(0, m.index - 20), m.index))) continue; // a declaration
					calls++;
					const args = argumentsAt(text, m.index + name.length);
					if (!/actor/i.test(args)) missing.push(`${relative(root, file)}: ${name}(${args.replace(/\s+/g, ' ').slice(0, 80)})`);
				}
			}
		}
		expect(calls).toBeGreaterThanOrEqual(10);
		expect(missing).toEqual([]);
	});

	it('never erase with the database-only function (it leaves Temporal and ad audiences behind)', () => {
		const offenders = sources(join(root, 'web')).filter((f) => /\beraseCustomer\(/.test(readFileSync(f, 'utf8')));
		expect(offenders.map((f) => relative(root, f))).toEqual([]);
	});
});
