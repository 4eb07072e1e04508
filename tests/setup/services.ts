/**
 * vitest globalSetup for the integration and browser projects: shared services, started once.
 * Temporal: a headless, in-memory dev server on a free port, unless TEST_TEMPORAL_ADDRESS
 * (+ optional TEST_TEMPORAL_NAMESPACE) points at one already running.
 */
import type { TestProject } from 'vitest/node';
import type {} from '../helpers/temporal.js'; // ProvidedContext['temporal']
import { buildWebIfStale } from '../../scripts/build-if-stale';
import { REPO_ROOT } from '../../scripts/temporal/cli';
import { startDevServer, waitForNamespace, type DevServer } from '../../scripts/temporal/dev-server.js';

type Teardown = () => Promise<void>;

// vitest calls globalSetup once per project (integration, browser) in the same process, maybe with
// separate module instances: share one server through globalThis, stopped by the last teardown.
const shared = globalThis as typeof globalThis & {
	__omnicanalTemporal?: { server: Promise<DevServer>; users: number };
	__omnicanalWebBuild?: Promise<void>;
};

async function startTemporal(project: TestProject): Promise<Teardown | undefined> {
	const external = process.env.TEST_TEMPORAL_ADDRESS;
	if (external) {
		const namespace = process.env.TEST_TEMPORAL_NAMESPACE ?? 'default';
		await waitForNamespace(external, namespace, 30_000);
		project.provide('temporal', { address: external, namespace });
		return undefined;
	}
	const entry = (shared.__omnicanalTemporal ??= { server: startDevServer({ uiPort: null }), users: 0 });
	entry.users++;
	const server = await entry.server.catch((err: unknown) => {
		shared.__omnicanalTemporal = undefined;
		throw err;
	});
	project.provide('temporal', { address: server.address, namespace: server.namespace });
	return async () => {
		if (--entry.users > 0) return;
		shared.__omnicanalTemporal = undefined;
		await server.stop();
	};
}

/**
 * Builds the web app once, before any test file runs: test processes that each found the build stale would
 * otherwise rebuild build/ at the same time and serve each other half-written assets.
 */
function buildWebOnce(): Promise<void> {
	shared.__omnicanalWebBuild ??= Promise.resolve().then(() => buildWebIfStale(REPO_ROOT, (m) => console.error(`[web] ${m}`)));
	return shared.__omnicanalWebBuild;
}

export default async function setup(project: TestProject): Promise<Teardown> {
	const teardowns: Teardown[] = [];
	const [stopTemporal] = await Promise.all([startTemporal(project), buildWebOnce()]);
	if (stopTemporal) teardowns.push(stopTemporal);
	return async () => {
		for (const stop of teardowns.reverse()) await stop();
	};
}
