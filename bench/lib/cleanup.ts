import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What to undo on the way out, Ctrl-C included: temp directories, benchmark databases (dropped), the app's copy
 * of build/. Each resource registers its undo as soon as it exists, so an interrupt half-way leaves nothing.
 */
const pending = new Set<() => Promise<void>>();

/** Registers `undo` and returns it wrapped: runs at most once, on the first call or on a signal. */
export function undoOnExit(undo: () => Promise<unknown> | void): () => Promise<void> {
	const once = async () => {
		if (!pending.delete(once)) return;
		await undo();
	};
	pending.add(once);
	return once;
}

/** Until the returned function is called, SIGINT/SIGTERM run every pending undo, then exit with 130. */
export function undoOnSignals(): () => void {
	const onSignal = () => {
		// A database busy with the interrupted call may be slow to close: give up waiting after a few seconds.
		const limit = new Promise((ok) => setTimeout(ok, 5_000).unref());
		void Promise.race([Promise.allSettled([...pending].map((undo) => undo())), limit]).then(() => process.exit(130));
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	return () => {
		process.off('SIGINT', onSignal);
		process.off('SIGTERM', onSignal);
	};
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch (err) {
		return (err as NodeJS.ErrnoException).code === 'EPERM';
	}
}

/**
 * A fresh directory `<parent>/<prefix><pid>-XXXXXX`, after removing those a killed run left behind (their pid
 * is gone): `npm run` → tsx gives a busy child 60 ms to acknowledge Ctrl-C before it SIGKILLs it, and PGlite
 * keeps the thread busy for longer, so the undo above cannot always run.
 */
export function tempDir(parent: string, prefix: string): string {
	mkdirSync(parent, { recursive: true });
	for (const name of readdirSync(parent)) {
		const pid = name.startsWith(prefix) ? Number(name.slice(prefix.length).split('-', 1)[0]) : NaN;
		if (Number.isInteger(pid) && pid > 0 && !alive(pid)) rmSync(join(parent, name), { recursive: true, force: true });
	}
	return mkdtempSync(join(parent, `${prefix}${process.pid}-`));
}
