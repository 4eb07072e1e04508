import { defineConfig } from 'vitest/config';

/**
 * Three projects (see STYLE.md, Tests):
 * - unit: pure code, no services (`*.test.ts`);
 * - integration: real PGlite/PostgreSQL, real Temporal servers, real SDKs (`*.int.test.ts`);
 * - browser: headless Chromium against the built app (`tests/e2e/**`).
 * The global setup starts the shared services once per run for the last two.
 */
export default defineConfig({
	test: {
		expect: { requireAssertions: true },
		projects: [
			{
				extends: true,
				test: {
					name: 'unit',
					include: ['tests/**/*.test.ts'],
					exclude: ['tests/**/*.int.test.ts', 'tests/e2e/**'],
					testTimeout: 20_000
				}
			},
			{
				extends: true,
				test: {
					name: 'integration',
					include: ['tests/**/*.int.test.ts'],
					exclude: ['tests/e2e/**'],
					globalSetup: ['tests/setup/services.ts', 'tests/setup/prism.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					name: 'browser',
					include: ['tests/e2e/**/*.test.ts'],
					globalSetup: ['tests/setup/services.ts'],
					testTimeout: 120_000,
					hookTimeout: 300_000,
					fileParallelism: false
				}
			}
		]
	}
});
