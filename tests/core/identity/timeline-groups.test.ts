import { describe, expect, it } from 'vitest';
import type { TimelineItem } from '../../../core/identity/timeline';
import { groupTimeline, runTitle } from '../../../core/identity/timeline-groups';

let clock = Date.UTC(2026, 10, 30, 18);
/** Items are built newest first, as the timeline returns them: each one a minute older than the last. */
function item(partial: Partial<TimelineItem> & Pick<TimelineItem, 'kind' | 'title'>): TimelineItem {
	clock -= 60_000;
	return { id: `i${clock}`, at: new Date(clock), detail: null, status: partial.kind === 'event' ? 'track' : null, channel: null, ...partial };
}
const line = (id: string, text: string, extra: Partial<NonNullable<TimelineItem['conversation']>> = {}) =>
	item({
		kind: 'event',
		title: 'conversation_message',
		conversation: { id, channel: 'chat', author: 'advisor', advisor: 'Léa', text, summary: null, topic: null, ...extra }
	});

describe('groupTimeline', () => {
	it('folds a conversation into one entry at its latest line, lines oldest first, the latest summary on top', () => {
		const items = [
			line('c1', 'Then try the Trail 2 in Paris', { summary: 'Trail 2, size 42, trying in Paris' }),
			item({ kind: 'message', title: 'Your order', channel: 'email' }),
			line('c1', 'Size 42?', { author: 'customer', advisor: null }),
			line('c1', 'Hello, how can I help?', { summary: 'Looking for trail shoes', topic: 'Trail shoes' })
		];
		const entries = groupTimeline(items);
		expect(entries.map((e) => e.kind)).toEqual(['conversation', 'item']);
		const conv = entries[0]!;
		if (conv.kind !== 'conversation') throw new Error('expected a conversation');
		expect(conv.at).toEqual(items[0]!.at);
		expect(conv.summary).toBe('Trail 2, size 42, trying in Paris');
		expect(conv.topic).toBe('Trail shoes');
		expect(conv.advisors).toEqual(['Léa']);
		expect(conv.lines.map((l) => [l.author, l.text])).toEqual([
			['advisor', 'Hello, how can I help?'],
			['customer', 'Size 42?'],
			['advisor', 'Then try the Trail 2 in Paris']
		]);
	});

	it('keeps two conversations apart', () => {
		const entries = groupTimeline([line('a', 'one'), line('b', 'two'), line('a', 'three')]);
		expect(entries.map((e) => (e.kind === 'conversation' ? [e.id, e.lines.length] : e.kind))).toEqual([
			['a', 2],
			['b', 1]
		]);
	});

	it('folds runs of the same event, page views by type, and leaves single events and other kinds alone', () => {
		const views = Array.from({ length: 12 }, () => item({ kind: 'event', title: 'product_viewed' }));
		const pages = [item({ kind: 'event', title: 'Viewed page /a', status: 'page' }), item({ kind: 'event', title: 'Viewed page /b', status: 'page' })];
		const order = item({ kind: 'event', title: 'order_completed' });
		const note = item({ kind: 'note', title: 'Note by Sam' });
		const entries = groupTimeline([...views, order, ...pages, note]);
		expect(entries.map((e) => (e.kind === 'run' ? runTitle(e.name, e.count) : e.kind === 'item' ? e.item.title : e.kind))).toEqual([
			'Viewed 12 products',
			'order_completed',
			'Viewed 2 pages',
			'Note by Sam'
		]);
		const run = entries[0]!;
		expect(run.kind === 'run' && run.items).toEqual(views);
		expect(run.at).toEqual(views[0]!.at);
	});

	it("an earlier line of a conversation already placed does not split a run; the conversation's own place does", () => {
		const entries = groupTimeline([
			line('c', 'latest'),
			item({ kind: 'event', title: 'product_viewed' }),
			line('c', 'earlier'),
			item({ kind: 'event', title: 'product_viewed' }),
			line('d', 'another chat'),
			item({ kind: 'event', title: 'product_viewed' })
		]);
		expect(entries.map((e) => (e.kind === 'run' ? `run of ${e.count}` : e.kind))).toEqual(['conversation', 'run of 2', 'conversation', 'item']);
	});

	it('minRun leaves shorter runs as items', () => {
		const entries = groupTimeline([item({ kind: 'event', title: 'ad_clicked' }), item({ kind: 'event', title: 'ad_clicked' })], 3);
		expect(entries.map((e) => e.kind)).toEqual(['item', 'item']);
		expect(runTitle('ad_clicked', 3)).toBe('Clicked 3 ads');
		expect(runTitle('wishlist_added', 4)).toBe('wishlist_added × 4');
	});
});
