import { ingestEndpoint, ingestPreflight } from '$lib/server/ingest';

/** Segment-compatible `screen` (see core/ingest/http.ts). */
export const POST = ingestEndpoint('screen');
export const OPTIONS = ingestPreflight;
