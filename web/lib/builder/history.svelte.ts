import { CommandStack } from './command-stack';
import type { Doc } from './operations';

/** What the builder edits: the definition and, beside it, where its nodes sit. */
export type BuilderDoc = Doc;

/**
 * The builder's undo/redo, reactive: `doc` is the document the canvas draws. Every edit goes through `apply`
 * as one command (≥ 100 steps kept); typing in a side-panel field passes a `key` and merges into one step.
 */
export class History {
	#stack: CommandStack<BuilderDoc>;
	doc = $state.raw<BuilderDoc>() as BuilderDoc;
	canUndo = $state(false);
	canRedo = $state(false);
	undoLabel = $state<string | undefined>();
	redoLabel = $state<string | undefined>();

	constructor(initial: BuilderDoc) {
		this.#stack = new CommandStack(initial, { limit: 200 });
		this.doc = initial;
	}

	#sync(): void {
		this.doc = this.#stack.current;
		this.canUndo = this.#stack.canUndo;
		this.canRedo = this.#stack.canRedo;
		this.undoLabel = this.#stack.undoLabel;
		this.redoLabel = this.#stack.redoLabel;
	}

	apply(next: BuilderDoc, label: string, key?: string): void {
		this.#stack.apply(next, label, key);
		this.#sync();
	}
	undo(): boolean {
		const done = this.#stack.undo() !== undefined;
		this.#sync();
		return done;
	}
	redo(): boolean {
		const done = this.#stack.redo() !== undefined;
		this.#sync();
		return done;
	}
	seal(): void {
		this.#stack.seal();
	}
	reset(doc: BuilderDoc): void {
		this.#stack.reset(doc);
		this.#sync();
	}
}
