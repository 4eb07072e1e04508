/**
 * Folds a person's timeline (newest first) into what a colleague reads at a glance: each conversation as one entry
 * with the advisor's summary on top and its lines underneath, and runs of the same event ("viewed 12 products") as
 * one expandable entry. Pure, so the customer page and the store page fold alike.
 */
import type { TimelineItem } from './timeline';

export type ConversationLine = { at: Date; author: string; advisor: string | null; text: string };

export type TimelineEntry =
	| { kind: 'item'; key: string; at: Date; item: TimelineItem }
	| { kind: 'run'; key: string; at: Date; name: string; count: number; items: TimelineItem[] }
	| {
			kind: 'conversation';
			key: string;
			at: Date;
			id: string;
			channel: string | null;
			topic: string | null;
			/** The latest summary the advisor wrote, if any. */
			summary: string | null;
			advisors: string[];
			/** Oldest first, as the conversation went. */
			lines: ConversationLine[];
	  };

/** Counted phrases for the events a shop sends most; others read "<name> × n". */
const COUNTED: Record<string, (n: number) => string> = {
	product_viewed: (n) => `Viewed ${n} products`,
	'Product Viewed': (n) => `Viewed ${n} products`,
	product_added: (n) => `Added ${n} items to the cart`,
	'Product Added': (n) => `Added ${n} items to the cart`,
	cart_viewed: (n) => `Looked at their cart ${n} times`,
	ad_clicked: (n) => `Clicked ${n} ads`
};

export function runTitle(name: string, count: number): string {
	if (COUNTED[name]) return COUNTED[name](count);
	if (name.startsWith('Viewed page')) return `Viewed ${count} pages`;
	if (name.startsWith('Viewed screen')) return `Viewed ${count} screens`;
	return `${name} × ${count}`;
}

/** Page views differ by path; a run of them is still "browsing". */
function runName(item: TimelineItem): string | null {
	if (item.kind !== 'event' || item.conversation) return null;
	if (item.status === 'page') return 'Viewed page';
	if (item.status === 'screen') return 'Viewed screen';
	return item.status === 'track' ? item.title : null;
}

export function groupTimeline(items: readonly TimelineItem[], minRun = 2): TimelineEntry[] {
	const entries: TimelineEntry[] = [];
	const conversations = new Map<string, Extract<TimelineEntry, { kind: 'conversation' }>>();
	for (const item of items) {
		const line = item.conversation;
		if (line) {
			let conv = conversations.get(line.id);
			if (!conv) {
				// Newest first: the first line met is the conversation's latest, which places it in the timeline.
				conv = {
					kind: 'conversation',
					key: `conversation:${line.id}`,
					at: item.at,
					id: line.id,
					channel: line.channel,
					topic: line.topic,
					summary: line.summary,
					advisors: [],
					lines: []
				};
				conversations.set(line.id, conv);
				entries.push(conv);
			}
			conv.summary ??= line.summary;
			conv.topic ??= line.topic;
			if (line.advisor && !conv.advisors.includes(line.advisor)) conv.advisors.push(line.advisor);
			conv.lines.unshift({ at: item.at, author: line.author, advisor: line.advisor, text: line.text });
			continue;
		}
		const name = runName(item);
		const last = entries.at(-1);
		if (name && last?.kind === 'run' && last.name === name) {
			last.items.push(item);
			last.count++;
			continue;
		}
		if (name && last?.kind === 'item' && runName(last.item) === name) {
			entries[entries.length - 1] = { kind: 'run', key: `run:${last.item.id}`, at: last.at, name, count: 2, items: [last.item, item] };
			continue;
		}
		entries.push({ kind: 'item', key: `${item.kind}:${item.id}`, at: item.at, item });
	}
	// Runs shorter than minRun read better as their items.
	return entries.flatMap((e) =>
		e.kind === 'run' && e.count < minRun ? e.items.map((item) => ({ kind: 'item' as const, key: `${item.kind}:${item.id}`, at: item.at, item })) : [e]
	);
}
