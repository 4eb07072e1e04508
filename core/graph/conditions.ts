import { ELSE_BRANCH } from './branches';
import { getPath, matchesFilter, matchesFilters, type TrackedEvent } from './match';
import type { Condition, ConditionBranch, ConditionNode, StockCondition } from './nodes';
import { durationToMs } from './time';

export type ConsentChannel = 'email' | 'sms' | 'whatsapp' | 'push' | 'ads';

/** An offer granted in this enrollment. `active` past `expiresAt` counts as expired. */
export interface OfferSnapshot {
	status: 'active' | 'redeemed' | 'expired' | 'revoked';
	expiresAt?: number;
}

/** Engagement with a message sent in this enrollment, from provider webhooks. */
export interface MessageSnapshot {
	delivered?: boolean;
	opened?: boolean;
	clicked?: boolean;
}

/**
 * Everything a condition can look at, gathered by an activity (see `conditionNeeds`) so that
 * evaluation itself is pure and replays identically. `now` is the workflow's clock in ms.
 */
export interface ConditionContext {
	now: number;
	traits: Record<string, unknown>;
	entryEvent?: TrackedEvent;
	/** Missing channel: no consent recorded, which counts as not granted. */
	consent: Partial<Record<ConsentChannel, boolean>>;
	/** Keyed by the id of the `grantOffer` step that granted it. */
	offers: Record<string, OfferSnapshot>;
	/** Keyed by the id of the `sendEmail`/`sendSms` step that sent it. */
	messages: Record<string, MessageSnapshot>;
	/** The customer's recent events, with timestamps. */
	events: (TrackedEvent & { timestamp: number })[];
	/** Shelf quantities for the (store, SKU) pairs stock conditions name, keyed by `stockKey`; absent = none. */
	stock?: Record<string, number>;
}

/** The key of one store's stock of one SKU in `ConditionContext.stock`. */
export function stockKey(storeId: string, sku: string): string {
	return `${storeId}\u0000${sku}`;
}

const scalarText = (v: unknown): string | undefined =>
	typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;

/**
 * The store and SKU a stock condition names for this customer, or undefined when either cannot be resolved (no
 * such trait, no such property). Pure: the activity uses it to know what to load, the evaluation to look it up.
 */
export function stockTarget(c: StockCondition, traits: Record<string, unknown>, entryEvent?: TrackedEvent): { storeId: string; sku: string } | undefined {
	const sku = c.sku.from === 'fixed' ? c.sku.sku : scalarText(getPath(c.sku.from === 'trait' ? traits : entryEvent?.properties, c.sku.path));
	const storeId = c.store.from === 'fixed' ? c.store.storeId : scalarText(getPath(traits, c.store.path));
	return sku && storeId ? { storeId, sku } : undefined;
}

function offerState(offer: OfferSnapshot | undefined, now: number): 'active' | 'redeemed' | 'expired' | undefined {
	if (!offer || offer.status === 'revoked') return undefined;
	if (offer.status === 'active' && offer.expiresAt !== undefined && offer.expiresAt <= now) return 'expired';
	return offer.status;
}

function reached(m: MessageSnapshot | undefined, status: 'delivered' | 'opened' | 'clicked'): boolean {
	if (!m) return false;
	// A click proves an open, and an open proves delivery, even if the earlier webhook was lost.
	if (status === 'clicked') return m.clicked === true;
	if (status === 'opened') return m.opened === true || m.clicked === true;
	return m.delivered === true || m.opened === true || m.clicked === true;
}

export function evaluateCondition(condition: Condition, ctx: ConditionContext): boolean {
	switch (condition.kind) {
		case 'trait':
			return matchesFilter(condition, ctx.traits);
		case 'entryProperty':
			return matchesFilter(condition, ctx.entryEvent?.properties);
		case 'consent':
			return (ctx.consent[condition.channel] === true) === condition.granted;
		case 'offer':
			return offerState(ctx.offers[condition.nodeId], ctx.now) === condition.state;
		case 'message':
			return reached(ctx.messages[condition.nodeId], condition.status);
		case 'event': {
			const since = condition.within ? ctx.now - durationToMs(condition.within) : -Infinity;
			const found = ctx.events.some((e) => e.name === condition.event && e.timestamp >= since && matchesFilters(condition.filters, e.properties));
			return found === (condition.occurred ?? true);
		}
		case 'stock': {
			const target = stockTarget(condition, ctx.traits, ctx.entryEvent);
			return target !== undefined && (ctx.stock?.[stockKey(target.storeId, target.sku)] ?? 0) >= condition.minQuantity;
		}
	}
}

export function branchMatches(branch: ConditionBranch, ctx: ConditionContext): boolean {
	const test = (c: Condition) => evaluateCondition(c, ctx);
	return branch.match === 'all' ? branch.conditions.every(test) : branch.conditions.some(test);
}

/** The first matching branch's id, else `ELSE_BRANCH`. */
export function pickConditionBranch(node: ConditionNode, ctx: ConditionContext): string {
	return node.branches.find((b) => branchMatches(b, ctx))?.id ?? ELSE_BRANCH;
}

/** What the context-gathering activity must load for `node` (so it loads no more). */
export interface ConditionNeeds {
	eventNames: string[];
	/** How far back events are needed; undefined when some event condition has no window. */
	eventLookbackMs?: number;
	offerNodeIds: string[];
	messageNodeIds: string[];
	/**
	 * The stock conditions, their entry-event SKUs already read (the activity has no entry event): it resolves the
	 * traits and loads those shelves. Absent when the step has none.
	 */
	stock?: StockCondition[];
}

export function conditionNeeds(node: ConditionNode, entryEvent?: TrackedEvent): ConditionNeeds {
	const all = node.branches.flatMap((b) => b.conditions);
	const events = all.filter((c) => c.kind === 'event');
	const unique = (xs: string[]) => [...new Set(xs)].sort();
	const windows = events.map((c) => (c.within ? durationToMs(c.within) : Infinity));
	const lookback = Math.max(0, ...windows);
	const stock = all.flatMap((c): StockCondition[] => {
		if (c.kind !== 'stock') return [];
		if (c.sku.from !== 'entryProperty') return [c];
		const sku = scalarText(getPath(entryEvent?.properties, c.sku.path));
		return sku ? [{ ...c, sku: { from: 'fixed', sku } }] : [];
	});
	return {
		eventNames: unique(events.map((c) => c.event)),
		eventLookbackMs: lookback === Infinity ? undefined : lookback,
		offerNodeIds: unique(all.flatMap((c) => (c.kind === 'offer' ? [c.nodeId] : []))),
		messageNodeIds: unique(all.flatMap((c) => (c.kind === 'message' ? [c.nodeId] : []))),
		...(stock.length ? { stock } : {})
	};
}
