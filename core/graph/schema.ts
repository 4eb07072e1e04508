/** The journey schema in one import: node kinds, settings, edges and the definition. */
export * from './branches';
export * from './definition';
export * from './nodes';
export * from './settings';
