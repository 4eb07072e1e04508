/**
 * Optional vitest globalSetup: starts the Prism mock servers (SendGrid, Twilio) once per run and provides
 * their URLs as `prism`, so test files using tests/helpers/prism.ts `prismFor()` skip their own ~20 s start.
 * Without it, each such file starts its own servers.
 */
import type { TestProject } from 'vitest/node';
import { startPrism, type PrismServer, type PrismSpec } from '../helpers/prism.js';

const specs: PrismSpec[] = ['sendgrid', 'twilio'];

// vitest runs globalSetup once per project in the same process: share the servers through globalThis.
const shared = globalThis as typeof globalThis & { __omnicanalPrism?: { servers: Promise<Map<PrismSpec, PrismServer>>; users: number } };

/** All or nothing: when one fails to start, the ones that did are stopped again. */
async function startAll(): Promise<Map<PrismSpec, PrismServer>> {
	const settled = await Promise.allSettled(specs.map(async (s) => [s, await startPrism(s)] as const));
	const started = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
	const failed = settled.find((r) => r.status === 'rejected');
	if (failed) {
		await Promise.all(started.map(([, s]) => s.stop()));
		throw failed.reason;
	}
	return new Map(started);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
	const entry = (shared.__omnicanalPrism ??= {
		servers: startAll(),
		users: 0
	});
	entry.users++;
	const servers = await entry.servers.catch((err: unknown) => {
		shared.__omnicanalPrism = undefined;
		throw err;
	});
	project.provide('prism', Object.fromEntries([...servers].map(([spec, s]) => [spec, s.url])));
	return async () => {
		if (--entry.users > 0) return;
		shared.__omnicanalPrism = undefined;
		await Promise.all([...servers.values()].map((s) => s.stop()));
	};
}
