import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { AppEnv } from '../config/env';

export type TemporalSettings = Pick<
	AppEnv,
	'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'
>;

/**
 * Deadlines for calls to Temporal. Without one the client's retry interceptor waits out an outage (~20 s a call);
 * a call from a web request must give up quickly and leave the work to the routing sweep.
 */
export const TEMPORAL_DEADLINES = {
	connectMs: 5_000,
	/** The web's own connection: a request (health included) must not wait longer for it. */
	webConnectMs: 1_500,
	/** Routing from the web request path; the sweep retries what does not make it. */
	webCallMs: 2_000,
	/** One event's routing in the sweep. */
	sweepCallMs: 5_000
} as const;

/** Connection options for a Temporal cluster or Temporal Cloud (mTLS or API key), shared by web and worker. */
export function connectionOptions(
	s: TemporalSettings & { TEMPORAL_ADDRESS: string },
	connectTimeoutMs: number = TEMPORAL_DEADLINES.connectMs
): ConnectionOptions {
	const mtls =
		s.TEMPORAL_TLS_CERT && s.TEMPORAL_TLS_KEY
			? { clientCertPair: { crt: readFileSync(s.TEMPORAL_TLS_CERT), key: readFileSync(s.TEMPORAL_TLS_KEY) } }
			: undefined;
	const tls = mtls ?? (s.TEMPORAL_TLS || s.TEMPORAL_API_KEY ? true : undefined);
	return { address: s.TEMPORAL_ADDRESS, tls, apiKey: s.TEMPORAL_API_KEY, connectTimeout: connectTimeoutMs };
}

export async function connectClient(s: TemporalSettings & { TEMPORAL_ADDRESS: string }, connectTimeoutMs?: number): Promise<Client> {
	const connection = await Connection.connect(connectionOptions(s, connectTimeoutMs));
	return new Client({ connection, namespace: s.TEMPORAL_NAMESPACE });
}

/** Runs `fn` with every Temporal call in it bounded by one deadline `ms` from now (DEADLINE_EXCEEDED after). */
export function withTemporalDeadline<T>(client: Client, ms: number, fn: () => Promise<T>): Promise<T> {
	return client.connection.withDeadline(Date.now() + ms, fn);
}

/** gRPC codes of a server that is not there or did not answer in time: CANCELLED, DEADLINE_EXCEEDED, RESOURCE_EXHAUSTED, UNAVAILABLE. */
const UNAVAILABLE_GRPC = new Set([1, 4, 8, 14]);

/** True when `err` (or what it wraps) says Temporal is unreachable or too slow, not that the call was wrong. */
export function isTemporalUnavailable(err: unknown): boolean {
	for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
		const { code, metadata, message } = e as { code?: unknown; metadata?: unknown; message?: unknown };
		if (typeof code === 'number' && metadata !== undefined && UNAVAILABLE_GRPC.has(code)) return true;
		if (typeof message === 'string' && /Failed to connect before the deadline|Failed to connect to Temporal server/.test(message)) return true;
	}
	return false;
}
