/**
 * Group commit for one process: callers submit items and wait for their own result, while the writes share
 * transactions. A submit that finds fewer than `maxInFlight` writes running writes at once; submits arriving while
 * writes run queue and go together in the next one, so the wait is bounded by one write and the commits per
 * second stay flat as callers multiply. No timer: a lone caller never waits for company.
 */

export type GroupCommitOptions = {
	/** Writes in flight at once (PostgreSQL's pool takes several; PGlite serializes anyway). */
	maxInFlight?: number;
	/** Size of one write at most (summed `sizeOf`); more waiting items make several. */
	maxBatch?: number;
};

/**
 * `write` answers each item of its group, in order (a rejected entry fails only that caller); if it throws, every
 * caller of the group gets the error.
 */
export type GroupWrite<T, R> = (items: T[]) => Promise<PromiseSettledResult<R>[]>;

type Waiting<T, R> = { item: T; done: (r: R) => void; fail: (err: unknown) => void };

export class GroupCommit<T, R> {
	private queue: Waiting<T, R>[] = [];
	private inFlight = 0;
	private readonly maxInFlight: number;
	private readonly maxBatch: number;
	/** Writes made and items they carried, for benchmarks and tests (items ÷ writes is the sharing). */
	readonly stats = { writes: 0, items: 0 };

	constructor(
		private readonly write: GroupWrite<T, R>,
		o: GroupCommitOptions = {},
		private readonly sizeOf: (item: T) => number = () => 1
	) {
		this.maxInFlight = o.maxInFlight ?? 2;
		this.maxBatch = o.maxBatch ?? 1_000;
	}

	submit(item: T): Promise<R> {
		return new Promise<R>((done, fail) => {
			this.queue.push({ item, done, fail });
			this.pump();
		});
	}

	private pump(): void {
		while (this.inFlight < this.maxInFlight && this.queue.length > 0) {
			const group: Waiting<T, R>[] = [];
			let size = 0;
			while (this.queue.length > 0 && (group.length === 0 || size + this.sizeOf(this.queue[0]!.item) <= this.maxBatch)) {
				const w = this.queue.shift()!;
				group.push(w);
				size += this.sizeOf(w.item);
			}
			this.inFlight++;
			void this.run(group).finally(() => {
				this.inFlight--;
				this.pump();
			});
		}
	}

	private async run(group: Waiting<T, R>[]): Promise<void> {
		this.stats.writes++;
		this.stats.items += group.length;
		try {
			const results = await this.write(group.map((w) => w.item));
			group.forEach((w, i) => {
				const r = results[i];
				if (r?.status === 'fulfilled') w.done(r.value);
				else w.fail(r ? r.reason : new Error('group commit: the write gave no answer for this item'));
			});
		} catch (err) {
			for (const w of group) w.fail(err);
		}
	}
}
