import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `batch` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('batch');
export const OPTIONS = ingestPreflight;
