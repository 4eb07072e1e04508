export * from './body';
export * from './errors';
