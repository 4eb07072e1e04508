import { bundleWorkflowCode } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { workflowsPath } from '../../worker/worker';

/**
 * Determinism guard: the workflow code must bundle for Temporal's sandbox. A stray import of a Node built-in
 * or an I/O module under workflows/ (or the pure parts of core/ it uses) fails here, in CI, not at worker start.
 */
describe('workflow bundle', () => {
	it('bundles the interpreter without Node built-ins or I/O modules', async () => {
		const warnings: string[] = [];
		const { code } = await bundleWorkflowCode({
			workflowsPath,
			logger: { info() {}, debug() {}, trace() {}, log() {}, warn: (m: string) => warnings.push(m), error: (m: string) => warnings.push(m) }
		});
		expect(code).toContain('async function journey(');
		for (const forbidden of ['drizzle-orm', '@electric-sql/pglite', 'postgres/src', '@sendgrid', 'twilio/lib', 'node:fs']) {
			expect(code.includes(forbidden), `bundle contains ${forbidden}`).toBe(false);
		}
		expect(warnings).toEqual([]);
	});
});
