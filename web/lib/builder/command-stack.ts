/**
 * Undo/redo as a command stack over immutable snapshots. Each command keeps the document before and after it,
 * so undo and redo are exact whatever the command did (add, connect, move, tidy, paste, edit in the panel).
 * Snapshots share structure (the builder replaces arrays, never mutates), so a step costs little memory.
 */
export interface Command<T> {
	/** For the Undo/Redo buttons' titles ("Undo Add Email"). */
	label: string;
	before: T;
	after: T;
	/** Commands with the same key close together merge into one step (typing in a panel field). */
	key?: string;
	at: number;
}

export interface CommandStackOptions {
	/** Steps kept; the oldest fall off. */
	limit?: number;
	/** How close (ms) two commands with the same key must be to merge. */
	coalesceMs?: number;
	now?: () => number;
}

export class CommandStack<T> {
	#undo: Command<T>[] = [];
	#redo: Command<T>[] = [];
	#current: T;
	readonly #limit: number;
	readonly #coalesceMs: number;
	readonly #now: () => number;

	constructor(initial: T, { limit = 200, coalesceMs = 1200, now = Date.now }: CommandStackOptions = {}) {
		this.#current = initial;
		this.#limit = limit;
		this.#coalesceMs = coalesceMs;
		this.#now = now;
	}

	get current(): T {
		return this.#current;
	}
	get canUndo(): boolean {
		return this.#undo.length > 0;
	}
	get canRedo(): boolean {
		return this.#redo.length > 0;
	}
	get undoLabel(): string | undefined {
		return this.#undo.at(-1)?.label;
	}
	get redoLabel(): string | undefined {
		return this.#redo.at(-1)?.label;
	}
	get size(): number {
		return this.#undo.length;
	}

	/** Records `next` as the new document. A no-op (same reference) records nothing. */
	apply(next: T, label: string, key?: string): void {
		if (next === this.#current) return;
		const at = this.#now();
		const top = this.#undo.at(-1);
		if (key !== undefined && top?.key === key && this.#redo.length === 0 && at - top.at <= this.#coalesceMs) {
			top.after = next;
			top.at = at;
		} else {
			this.#undo.push({ label, before: this.#current, after: next, key, at });
			if (this.#undo.length > this.#limit) this.#undo.splice(0, this.#undo.length - this.#limit);
		}
		this.#redo = [];
		this.#current = next;
	}

	undo(): T | undefined {
		const cmd = this.#undo.pop();
		if (!cmd) return undefined;
		this.#redo.push(cmd);
		this.#current = cmd.before;
		return this.#current;
	}

	redo(): T | undefined {
		const cmd = this.#redo.pop();
		if (!cmd) return undefined;
		this.#undo.push(cmd);
		this.#current = cmd.after;
		return this.#current;
	}

	/** Ends the current merge: the next keyed command starts a new step (a field lost focus). */
	seal(): void {
		const top = this.#undo.at(-1);
		if (top) top.key = undefined;
	}

	/** Starts over from `doc` (a reload): history from another document would not apply. */
	reset(doc: T): void {
		this.#undo = [];
		this.#redo = [];
		this.#current = doc;
	}
}
