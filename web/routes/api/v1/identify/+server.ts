import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `identify` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('identify');
export const OPTIONS = ingestPreflight;
