import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `track` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('track');
export const OPTIONS = ingestPreflight;
