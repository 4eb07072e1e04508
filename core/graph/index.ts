/**
 * The journey graph model: schemas and types, validation, graph walks, matching, time and A/B
 * hashing. Pure and deterministic (zod and Intl only), so the Temporal workflow can import it.
 */
export * from './schema';
export * from './graph';
export * from './match';
export * from './conditions';
export * from './time';
export * from './zone';
export * from './hash';
export * from './interests';
export * from './validate';
export * from './examples';
export * from './kinds';
export * from './outline';
export * from './layout';
