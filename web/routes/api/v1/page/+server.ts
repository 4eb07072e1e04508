import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `page` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('page');
export const OPTIONS = ingestPreflight;
