export * from './auth';
export * from './customers';
export * from './events';
export * from './journeys';
export * from './messages';
export * from './offers';
export * from './analytics';
export * from './stock';
