import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = resolve(import.meta.dirname, '../..');
const fixture = resolve(import.meta.dirname, 'fixtures/driver-crash.ts');

function runFixture(mode: 'known' | 'other'): Promise<{ code: number; stdout: string; stderr: string }> {
	return run(process.execPath, ['--import', 'tsx', fixture, mode], { cwd: root, timeout: 30_000 }).then(
		({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
		(err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr })
	);
}

/** The process-level guard core/db/client.ts installs with a PostgreSQL pool (see isKnownDriverCrash). */
describe('postgres-js null-socket crash guard', () => {
	it('logs the known driver error and keeps the process alive', async () => {
		const { code, stdout, stderr } = await runFixture('known');
		expect(stderr).toContain('porsager/postgres #1154');
		expect(stdout).toContain('still alive');
		expect(code).toBe(0);
	});

	it('still exits 1 on any other uncaught error', async () => {
		const { code, stdout, stderr } = await runFixture('other');
		expect(stderr).toContain('an unrelated bug');
		expect(stdout).not.toContain('still alive');
		expect(code).toBe(1);
	});
});
