/**
 * Finds (or obtains) the Temporal CLI binary, which runs our embedded dev server.
 *
 * Order: `TEMPORAL_CLI` → `temporal` on PATH → Go's install dir (`$GOBIN`, `$(go env GOPATH)/bin`,
 * `~/go/bin`) → cached copy in `.data/bin/temporal` → `go install` (pinned) → the SDK's own download.
 * Go's install dir comes before `.data/` because CI clones afresh but keeps `~/go` between runs.
 */
import { spawn, execFile } from 'node:child_process';
import { constants, promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** v1.5.1 is the newest tag `go install …@version` accepts (later tags carry a `replace` in go.mod). */
export const TEMPORAL_CLI_GO_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CACHE_DIR = join(REPO_ROOT, '.data', 'bin');
const CACHED_CLI = join(CACHE_DIR, 'temporal');

type Log = (msg: string) => void;
const execFileP = promisify(execFile);

async function isExecutable(path: string): Promise<boolean> {
	try {
		const st = await fs.stat(path);
		if (!st.isFile()) return false;
		await fs.access(path, constants.X_OK);
		return true;
	} catch {
		return false;
	}
}

async function onPath(name: string): Promise<string | undefined> {
	for (const dir of (process.env.PATH ?? '').split(delimiter)) {
		if (dir && (await isExecutable(join(dir, name)))) return join(dir, name);
	}
	return undefined;
}

/** Where `go install` puts binaries: $GOBIN, else $(go env GOPATH)/bin, else ~/go/bin. */
async function goBinDirs(goExe: string | undefined): Promise<string[]> {
	const dirs = new Set<string>();
	if (process.env.GOBIN) dirs.add(process.env.GOBIN);
	if (goExe) {
		try {
			const { stdout } = await execFileP(goExe, ['env', 'GOBIN', 'GOPATH'], { timeout: 15_000 });
			const [gobin, gopath] = stdout.split('\n').map((s) => s.trim());
			if (gobin) dirs.add(gobin);
			for (const p of (gopath ?? '').split(delimiter)) if (p) dirs.add(join(p, 'bin'));
		} catch {
			/* a broken Go install only removes candidates */
		}
	}
	dirs.add(join(homedir(), 'go', 'bin'));
	return [...dirs];
}

async function findGo(): Promise<string | undefined> {
	return (await onPath('go')) ?? ((await isExecutable('/usr/local/go/bin/go')) ? '/usr/local/go/bin/go' : undefined);
}

/** Runs `go install`, streaming its output through `log` (the first build takes minutes). */
async function goInstall(goExe: string, log: Log): Promise<void> {
	log(`building the Temporal CLI with Go, first time takes several minutes… (go install ${TEMPORAL_CLI_GO_MODULE})`);
	const started = Date.now();
	const child = spawn(goExe, ['install', TEMPORAL_CLI_GO_MODULE], { stdio: ['ignore', 'pipe', 'pipe'] });
	const tail: string[] = [];
	const onData = (buf: Buffer) => {
		for (const line of buf.toString().split('\n')) {
			if (!line.trim()) continue;
			tail.push(line);
			if (tail.length > 30) tail.shift();
			log(`  go: ${line.replace(/^go: /, '')}`);
		}
	};
	child.stdout.on('data', onData);
	child.stderr.on('data', onData);
	// go prints nothing while compiling: a heartbeat shows we are not stuck.
	const beat = setInterval(() => log(`  …still building (${Math.round((Date.now() - started) / 1000)} s)`), 30_000);
	const code = await new Promise<number | null>((resolve, reject) => {
		child.on('error', reject);
		child.on('close', resolve);
	}).finally(() => clearInterval(beat));
	if (code !== 0) {
		throw new Error(`go install ${TEMPORAL_CLI_GO_MODULE} failed (exit ${code}):\n${tail.join('\n')}`);
	}
	log(`Temporal CLI built in ${Math.round((Date.now() - started) / 1000)} s`);
}

/** Links (or copies) a found binary into `.data/bin` so later runs find it without Go. */
async function cacheCopy(src: string): Promise<string> {
	await fs.mkdir(CACHE_DIR, { recursive: true });
	const tmp = `${CACHED_CLI}.${process.pid}.tmp`;
	await fs.rm(tmp, { force: true });
	try {
		await fs.symlink(src, tmp);
	} catch {
		await fs.copyFile(src, tmp);
		await fs.chmod(tmp, 0o755);
	}
	await fs.rename(tmp, CACHED_CLI); // atomic: concurrent callers never see a half-written file
	return CACHED_CLI;
}

/**
 * Last resort: let @temporalio/testing download the CLI (needs internet to temporal.download).
 * The SDK only downloads while starting a server, so we start one briefly, stop it and keep the file.
 */
export async function downloadCliWithSdk(log: Log, destDir = CACHE_DIR): Promise<string> {
	log('downloading the Temporal CLI through @temporalio/testing (needs access to temporal.download)…');
	const { TestWorkflowEnvironment } = await import('@temporalio/testing');
	const downloadDir = join(destDir, 'sdk-download');
	await fs.mkdir(downloadDir, { recursive: true });
	const env = await TestWorkflowEnvironment.createLocal({
		server: { executable: { type: 'cached-download', downloadDir } }
	});
	await env.teardown();
	const file = (await fs.readdir(downloadDir)).find((f) => f.startsWith('temporal-sdk-'));
	if (!file) throw new Error(`the SDK started a server but left no binary in ${downloadDir}`);
	const target = join(destDir, 'temporal');
	await fs.rename(join(downloadDir, file), target); // out of the SDK's TTL-based cleanup
	return target;
}

let pending: Promise<string> | undefined;

export function findTemporalCli(opts: { log?: Log } = {}): Promise<string> {
	// Memoised so concurrent callers in one process share one lookup (and at most one build).
	pending ??= locate(opts.log ?? ((m) => console.error(`[temporal-cli] ${m}`))).catch((err: unknown) => {
		pending = undefined;
		throw err;
	});
	return pending;
}

async function locate(log: Log): Promise<string> {
	const fromEnv = process.env.TEMPORAL_CLI;
	if (fromEnv) {
		if (await isExecutable(fromEnv)) return fromEnv;
		throw new Error(`TEMPORAL_CLI=${fromEnv} is not an executable file`);
	}
	const fromPath = await onPath('temporal');
	if (fromPath) return fromPath;

	const goExe = await findGo();
	const goDirs = await goBinDirs(goExe);
	for (const dir of goDirs) {
		if (await isExecutable(join(dir, 'temporal'))) return join(dir, 'temporal');
	}
	if (await isExecutable(CACHED_CLI)) return CACHED_CLI;

	const failures: string[] = [];
	if (goExe) {
		try {
			await goInstall(goExe, log);
			for (const dir of await goBinDirs(goExe)) {
				if (await isExecutable(join(dir, 'temporal'))) return await cacheCopy(join(dir, 'temporal'));
			}
			failures.push(`go install succeeded but no binary appeared in ${goDirs.join(', ')}`);
		} catch (err) {
			failures.push((err as Error).message);
		}
	} else {
		failures.push('Go is not installed (no `go` on PATH)');
	}
	try {
		return await downloadCliWithSdk(log);
	} catch (err) {
		failures.push(`SDK download failed: ${(err as Error).message}`);
	}
	throw new Error(
		[
			'Cannot find or obtain the Temporal CLI. Tried: $TEMPORAL_CLI, `temporal` on PATH, ' +
				`${goDirs.map((d) => join(d, 'temporal')).join(', ')}, ${CACHED_CLI}, go install, SDK download.`,
			...failures.map((f) => `  - ${f}`),
			'Fix one of: install Go ≥ 1.25 and run `go install ' + TEMPORAL_CLI_GO_MODULE + '`;',
			'  download a release from https://github.com/temporalio/cli/releases and set TEMPORAL_CLI=/path/to/temporal;',
			'  or point the app at an existing server with TEMPORAL_ADDRESS.'
		].join('\n')
	);
}
