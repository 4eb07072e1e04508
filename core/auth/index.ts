export * from './accounts';
export * from './roles';
export { hashPassword, needsRehash, verifyPassword } from './passwords';
export { loginThrottle, LoginThrottle, throttleMessage, TokenBuckets } from './throttle';
export { newToken, sha256Hex } from './tokens';
