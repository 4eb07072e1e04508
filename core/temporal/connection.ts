import { readFileSync } from 'node:fs';
import { Client, Connection, type ConnectionOptions } from '@temporalio/client';
import type { AppEnv } from '../config/env';

export type TemporalSettings = Pick<AppEnv, 'TEMPORAL_ADDRESS' | 'TEMPORAL_NAMESPACE' | 'TEMPORAL_API_KEY' | 'TEMPORAL_TLS' | 'TEMPORAL_TLS_CERT' | 'TEMPORAL_TLS_KEY'>;

/** Connection options for a Temporal cluster or Temporal Cloud (mTLS or API key), shared by web and worker. */
export function connectionOptions(s: TemporalSettings & { TEMPORAL_ADDRESS: string }): ConnectionOptions {
	const mtls = s.TEMPORAL_TLS_CERT && s.TEMPORAL_TLS_KEY
		? { clientCertPair: { crt: readFileSync(s.TEMPORAL_TLS_CERT), key: readFileSync(s.TEMPORAL_TLS_KEY) } }
		: undefined;
	const tls = mtls ?? (s.TEMPORAL_TLS || s.TEMPORAL_API_KEY ? true : undefined);
	return { address: s.TEMPORAL_ADDRESS, tls, apiKey: s.TEMPORAL_API_KEY, connectTimeout: '5s' };
}

export async function connectClient(s: TemporalSettings & { TEMPORAL_ADDRESS: string }): Promise<Client> {
	const connection = await Connection.connect(connectionOptions(s));
	return new Client({ connection, namespace: s.TEMPORAL_NAMESPACE });
}
