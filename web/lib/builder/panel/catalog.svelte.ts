import { untrack } from 'svelte';
import type { CatalogEvent, CatalogSegment } from '$core/catalog/index';

/**
 * What the pickers suggest, fetched once per page from the catalog API and shared by every form: event names
 * ingest has seen, each event's property paths, profile trait paths, segments, the stores, and the journey's own
 * steps (for conditions that name an offer or a message step). Suggestions only: a failed fetch leaves the lists
 * empty and every field still accepts typed text.
 */
class BuilderCatalog {
	events = $state<CatalogEvent[]>([]);
	traits = $state<string[]>([]);
	segments = $state<CatalogSegment[]>([]);
	#properties = $state<Record<string, string[]>>({});
	#stores = $state<StoreChoice[]>([]);
	#steps = $state.raw<Record<string, readonly Step[]>>({});
	/** The steps on an open canvas, as drawn now (see `showSteps`). */
	#live = $state.raw<Record<string, readonly Step[]>>({});
	#requested = new Set<string>();

	async #load<T>(key: string, url: string, apply: (body: T) => void): Promise<void> {
		if (typeof window === 'undefined' || this.#requested.has(key)) return;
		this.#requested.add(key);
		try {
			const res = await fetch(url, { headers: { accept: 'application/json' } });
			if (res.ok) apply((await res.json()) as T);
			else this.#requested.delete(key);
		} catch {
			this.#requested.delete(key);
		}
	}

	loadEvents(): void {
		void this.#load<{ events: CatalogEvent[] }>('events', '/api/v1/catalog/events?limit=200', (b) => (this.events = b.events));
	}

	loadTraits(): void {
		void this.#load<{ paths: string[] }>('traits', '/api/v1/catalog/traits', (b) => (this.traits = b.paths));
	}

	loadSegments(): void {
		void this.#load<{ segments: CatalogSegment[] }>('segments', '/api/v1/catalog/segments', (b) => (this.segments = b.segments));
	}

	/** Property paths seen on `event` (loads them on first use). */
	properties(event: string | undefined): string[] {
		const name = event?.trim();
		if (!name) return [];
		void this.#load<{ paths: string[] }>(`props:${name}`, `/api/v1/catalog/events/${encodeURIComponent(name)}/properties`, (b) => {
			this.#properties = { ...this.#properties, [name]: b.paths };
		});
		return this.#properties[name] ?? [];
	}

	/** The stores (loaded on first use), for the store pickers: a store added through the API is a choice on the next page. */
	stores(): readonly StoreChoice[] {
		void this.#load<{ stores: StoreChoice[] }>('stores', '/api/v1/stores', (b) => (this.#stores = b.stores));
		return this.#stores;
	}

	/**
	 * The journey's steps (for "which offer step", "which message"): the open canvas's, live, when its editor
	 * shows them (`showSteps`); else the saved draft's.
	 */
	steps(journeyId: string): readonly Step[] {
		const live = this.#live[journeyId];
		if (live) return live;
		void this.#load<{ journey: { draft: { nodes?: Step[] } } }>(
			`steps:${journeyId}`,
			`/api/v1/journeys/${encodeURIComponent(journeyId)}`,
			(b) => (this.#steps = { ...this.#steps, [journeyId]: b.journey.draft?.nodes ?? [] })
		);
		return this.#steps[journeyId] ?? [];
	}

	/** The editor's steps as drawn now (a step added a moment ago is already a choice); `undefined` when it closes. */
	showSteps(journeyId: string, steps: readonly Step[] | undefined): void {
		// Called from the editor's effect: reading what it writes must not make that effect depend on it.
		const { [journeyId]: _old, ...rest } = untrack(() => this.#live);
		this.#live = steps ? { ...rest, [journeyId]: steps } : rest;
	}
}

type Step = { id: string; type: string; label?: string };
export type StoreChoice = { id: string; name: string; city: string };

export const builderCatalog = new BuilderCatalog();
