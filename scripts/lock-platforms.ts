import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';

/**
 * Our package registry serves each native package only for the platforms our machines run, so `npm install`
 * leaves other platforms' optional binaries (e.g. @swc/core-darwin-arm64) out of package-lock.json, and `npm ci`
 * then refuses the lock as "out of sync". This adds those entries back, marked optional with the os/cpu their
 * names state, so `npm ci` skips them on every platform that does not need them. Run after `npm install`:
 * `npm run lock:platforms`.
 */
const OS = ['darwin', 'win32', 'linux', 'android', 'freebsd', 'openbsd', 'netbsd', 'sunos', 'aix', 'openharmony'];
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el', 'wasm32'];

type LockEntry = { version?: string; optional?: boolean; os?: string[]; cpu?: string[]; libc?: string[]; optionalDependencies?: Record<string, string> };
type Lock = { packages: Record<string, LockEntry> };

function missingFromLock(): string[] {
	try {
		execFileSync('npm', ['ci', '--dry-run', '--ignore-scripts'], { stdio: 'pipe' });
		return [];
	} catch (err) {
		const out = String((err as { stderr?: Buffer }).stderr ?? '');
		return [...out.matchAll(/Missing: (@?[^@\s]+)@\S* from lock file/g)].map((m) => m[1]!);
	}
}

const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as Lock;
const wanted = new Map<string, string>();
for (const entry of Object.values(lock.packages)) {
	for (const [name, range] of Object.entries(entry.optionalDependencies ?? {})) wanted.set(name, range);
}
const missing = missingFromLock();
for (const name of missing) {
	const tokens = name.split('/').pop()!.split(/[-.]/);
	const entry: LockEntry = { version: (wanted.get(name) ?? '0.0.0').replace(/^[\^~=]/, ''), optional: true };
	const os = OS.find((o) => tokens.includes(o) || (o === 'win32' && tokens.includes('windows')));
	const cpu = CPU.find((c) => tokens.includes(c) || (c === 'x64' && tokens.includes('x86_64')) || (c === 'arm64' && tokens.includes('aarch64')));
	if (os) entry.os = [os];
	if (cpu) entry.cpu = [cpu];
	if (tokens.includes('musl')) entry.libc = ['musl'];
	if (!os && !cpu) throw new Error(`cannot tell the platform of ${name}; add it to package-lock.json by hand`);
	lock.packages[`node_modules/${name}`] = entry;
}
writeFileSync('package-lock.json', `${JSON.stringify(lock, null, 2)}\n`);
console.log(missing.length ? `added ${missing.length} platform entries: ${missing.join(', ')}` : 'package-lock.json is complete');
