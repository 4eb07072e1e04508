import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/temporal/dev-server';

/**
 * A throwaway PostgreSQL cluster a test owns and may stop, restart or kill (as .ci/run starts one: initdb + pg_ctl,
 * as the postgres user when we are root), on a loopback port. Undefined when no PostgreSQL binaries are installed.
 */
const exec = promisify(execFile);

export function postgresBinaries(): string | undefined {
	const base = '/usr/lib/postgresql';
	if (!existsSync(base)) return undefined;
	const versions = readdirSync(base)
		.filter((v) => existsSync(join(base, v, 'bin', 'pg_ctl')))
		.sort((a, b) => Number(a) - Number(b));
	return versions.length ? join(base, versions.at(-1)!, 'bin') : undefined;
}

export type PgCluster = {
	url: string;
	/** `pg_ctl restart -m fast`: sessions are terminated, the server is back in about a second. */
	restart(): Promise<void>;
	stop(): Promise<void>;
	start(): Promise<void>;
	destroy(): Promise<void>;
};

export async function startPgCluster(): Promise<PgCluster> {
	const bin = postgresBinaries();
	if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql');
	const dir = mkdtempSync(join(tmpdir(), 'omnicanal-rel-pg-'));
	const root = process.getuid?.() === 0;
	if (root) {
		const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
		const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
		chownSync(dir, uid, gid);
	}
	const port = await freePort();
	// Asynchronous, so the load a test runs meanwhile keeps going (and keeps measuring) while pg_ctl waits.
	const run = async (tool: string, args: string[]) => {
		const cmd = [join(bin, tool), ...args];
		if (root) await exec('su', ['postgres', '-s', '/bin/sh', '-c', cmd.map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ')]);
		else await exec(cmd[0]!, cmd.slice(1));
	};
	const data = join(dir, 'data');
	await run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8']);
	const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
	const ctl = (action: string, ...extra: string[]) => run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '30', ...extra, action]);
	await ctl('start', '-o', options);
	return {
		url: `postgres://postgres@127.0.0.1:${port}/postgres`,
		restart: () => ctl('restart', '-m', 'fast', '-o', options),
		stop: () => ctl('stop', '-m', 'fast'),
		start: () => ctl('start', '-o', options),
		destroy: async () => {
			await ctl('stop', '-m', 'immediate').catch(() => {}); // already stopped
			rmSync(dir, { recursive: true, force: true });
		}
	};
}
