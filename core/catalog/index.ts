/**
 * What ingest has actually seen — event names, their property paths, profile trait paths — for the journey
 * builder's autocomplete. Read-only, bounded work per request (index probes and fixed-size samples).
 */
export { CatalogEventsQuery, catalogEventProperties, catalogEvents, catalogTraits, PATH_SAMPLE, type CatalogEvent } from './events';
export { propertyPaths } from './paths';
export { catalogSegments, type CatalogSegment } from './segments';
