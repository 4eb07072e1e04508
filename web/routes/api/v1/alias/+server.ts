import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `alias` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('alias');
export const OPTIONS = ingestPreflight;
