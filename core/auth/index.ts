export * from './accounts';
export * from './roles';
export { hashPassword, verifyPassword } from './passwords';
export { newToken, sha256Hex } from './tokens';
