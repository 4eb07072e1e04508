import type { Viewport } from '$core/graph/index';
import type { Doc } from './operations';

export type SaveState = 'saved' | 'saving' | 'unsaved' | 'conflict' | 'error';

interface ApiError {
	error?: { code?: string; message?: string; details?: { revision?: number } };
}

/**
 * Saves the builder's document a moment after the last edit, through the journeys API with the revision the
 * editor started from. Only what changed is sent (moving nodes sends the layout alone). A save refused because
 * another tab saved first (`draft_conflict`) stops autosaving and keeps the local work: the marketer chooses to
 * reload theirs away or to keep theirs over the other tab's.
 *
 * The viewport (where the marketer left the view) is saved with the layout too, but it is not part of the
 * document: it never enters the undo history, and an unsaved viewport alone does not hold the page open.
 */
export class Autosave {
	state = $state<SaveState>('saved');
	message = $state('');
	revision: number;
	/** The other tab's revision, known after a conflict. */
	#theirs: number | undefined;
	#saved: Doc;
	#latest: Doc;
	#viewport: Viewport | undefined;
	#savedViewport: Viewport | undefined;
	#timer: ReturnType<typeof setTimeout> | undefined;
	#running: Promise<void> | undefined;

	constructor(
		readonly journeyId: string,
		doc: Doc,
		revision: number,
		readonly delayMs = 800
	) {
		this.#saved = doc;
		this.#latest = doc;
		this.#viewport = this.#savedViewport = doc.layout.viewport;
		this.revision = revision;
	}

	/** Call on every change of the document. */
	changed(doc: Doc): void {
		this.#latest = doc;
		this.#schedule();
	}

	/** Call when the marketer has moved the view (pan, zoom): saved with the layout, never an undo step. */
	moved(viewport: Viewport): void {
		if (sameViewport(viewport, this.#viewport)) return;
		this.#viewport = viewport;
		this.#schedule();
	}

	#schedule(): void {
		if (this.state === 'conflict') return;
		clearTimeout(this.#timer);
		if (!this.#pending) {
			if (!this.#running) this.state = 'saved';
			return;
		}
		this.state = this.#running ? 'saving' : 'unsaved';
		this.#timer = setTimeout(() => void this.flush(), this.delayMs);
	}

	/** The document differs from what was saved (the page warns before leaving). */
	get dirty(): boolean {
		return this.#latest.draft !== this.#saved.draft || this.#latest.layout !== this.#saved.layout;
	}

	/** Anything to save, the viewport included. */
	get #pending(): boolean {
		return this.dirty || !sameViewport(this.#viewport, this.#savedViewport);
	}

	/** Saves now (before publishing); resolves true when everything is saved. */
	async flush(): Promise<boolean> {
		clearTimeout(this.#timer);
		while (this.#running) await this.#running;
		if (this.state === 'conflict') return false;
		if (!this.#pending) {
			this.state = 'saved';
			return true;
		}
		this.#running = this.#save(this.#latest, this.#viewport).finally(() => (this.#running = undefined));
		await this.#running;
		if (this.state === 'saved' && this.#pending) return this.flush();
		return this.state === 'saved';
	}

	async #save(doc: Doc, viewport: Viewport | undefined): Promise<void> {
		this.state = 'saving';
		const body: Record<string, unknown> = { baseRevision: this.revision };
		if (doc.draft !== this.#saved.draft) body.draft = doc.draft;
		if (doc.layout !== this.#saved.layout || body.draft || !sameViewport(viewport, this.#savedViewport))
			body.layout = viewport ? { ...doc.layout, viewport } : doc.layout;
		let res: Response;
		try {
			res = await fetch(`/api/v1/journeys/${encodeURIComponent(this.journeyId)}`, {
				method: 'PATCH',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
		} catch {
			this.state = 'error';
			this.message = 'Could not reach the server. Your changes are kept here; they are saved again when you retry.';
			return;
		}
		if (res.ok) {
			const { journey } = (await res.json()) as { journey: { revision: number } };
			this.revision = journey.revision;
			this.#saved = doc;
			this.#savedViewport = viewport;
			this.message = '';
			this.state = this.#pending ? 'unsaved' : 'saved';
			if (this.#pending) this.#timer = setTimeout(() => void this.flush(), this.delayMs);
			return;
		}
		const err = ((await res.json().catch(() => ({}))) as ApiError).error;
		if (res.status === 409 && err?.code === 'draft_conflict') {
			this.#theirs = err.details?.revision;
			this.state = 'conflict';
			this.message = 'This journey was changed in another tab or by someone else. Your changes are kept here but not saved.';
			return;
		}
		this.state = 'error';
		this.message = err?.message ?? `Saving failed (HTTP ${res.status}). Your changes are kept here.`;
	}

	/** After a conflict: save ours over the other save (their changes are replaced). */
	async keepMine(): Promise<boolean> {
		if (this.#theirs !== undefined) this.revision = this.#theirs;
		this.#theirs = undefined;
		this.state = 'unsaved';
		return this.flush();
	}

	/** Starts over from a freshly loaded document (a reload, the JSON editor's save). */
	reset(doc: Doc, revision: number): void {
		clearTimeout(this.#timer);
		this.#saved = doc;
		this.#latest = doc;
		this.#viewport = this.#savedViewport = doc.layout.viewport;
		this.revision = revision;
		this.#theirs = undefined;
		this.state = 'saved';
		this.message = '';
	}

	/** Our own form saved something else (name, description): its new revision is ours too. */
	adopt(revision: number): void {
		if (this.state !== 'conflict' && !this.#running) this.revision = revision;
	}

	dispose(): void {
		clearTimeout(this.#timer);
	}
}

const sameViewport = (a: Viewport | undefined, b: Viewport | undefined) => a === b || (!!a && !!b && a.x === b.x && a.y === b.y && a.zoom === b.zoom);
