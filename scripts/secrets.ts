import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A secret from the environment, or one generated on first start and kept under DATA_DIR (mode 600), so the
 * embedded default is secure without configuration and survives restarts.
 */
export function persistentSecret(dataDir: string, name: string, fromEnv: string | undefined, bytes = 32): string {
	if (fromEnv) return fromEnv;
	const dir = join(dataDir, 'secrets');
	const file = join(dir, name);
	if (existsSync(file)) return readFileSync(file, 'utf8').trim();
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const value = randomBytes(bytes).toString('base64url');
	writeFileSync(file, value, { mode: 0o600 });
	return value;
}
