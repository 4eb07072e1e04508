import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Sources the web build depends on; a newer file than the build means it is stale. */
const SOURCES = ['web', 'core', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path: string): number {
	if (!existsSync(path)) return 0;
	const st = statSync(path);
	if (!st.isDirectory()) return st.mtimeMs;
	let newest = st.mtimeMs;
	for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
	return newest;
}

/** Runs `vite build` unless build/ is newer than every source, so `npm start` after a pull is never stale. */
export function buildWebIfStale(root: string, log: (m: string) => void): void {
	const handler = join(root, 'build', 'handler.js');
	const built = existsSync(handler) ? statSync(handler).mtimeMs : 0;
	const newest = Math.max(...SOURCES.map((s) => newestMtime(join(root, s))));
	if (built > newest) return;
	log('building the web app (vite build)…');
	// A production build whoever asks: under vitest NODE_ENV is `test`, with which Vite builds Svelte in dev mode
	// (slower pages, and the builder benchmark would measure them).
	const res = spawnSync(process.execPath, [join(root, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
		cwd: root,
		stdio: 'inherit',
		env: { ...process.env, NODE_ENV: 'production' }
	});
	if (res.status !== 0) throw new Error(`vite build failed (exit ${res.status})`);
}
