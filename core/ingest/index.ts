export * from './errors';
export { eventRow, profileInput } from './event';
export { identifiersOf, phoneRegion } from './identifiers';
export * from './ingest';
export { toStorableJson, MAX_JSON_DEPTH } from './json';
export * from './schema';
export { eventTime } from './timestamp';
export { validateMessages } from './validate';
