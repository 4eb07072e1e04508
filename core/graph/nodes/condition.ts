import { z } from 'zod';
import { ELSE_BRANCH } from '../branches';
import { Duration, EventName, Id, PropertyPath, Text, checkUniqueIds, nodeBase } from './common';
import { PropertyFilter, filterUnion } from './filters';

/** A profile trait (`plan`, `address.city`) compared like an event property. */
export const TraitCondition = filterUnion({ kind: z.literal('trait') });

/** A property of the event that started this enrollment (`cart_total gt 100`). */
export const EntryPropertyCondition = filterUnion({ kind: z.literal('entryProperty') });

/** The customer has (or, with `granted: false`, has not) given consent on a channel. */
export const ConsentCondition = z.object({
	kind: z.literal('consent'),
	channel: z.enum(['email', 'sms', 'whatsapp', 'push', 'ads']),
	granted: z.boolean()
});

/** The offer granted by the `grantOffer` step `nodeId` of this journey is in `state`. */
export const OfferCondition = z.object({
	kind: z.literal('offer'),
	nodeId: Id,
	state: z.enum(['active', 'redeemed', 'expired'])
});

/**
 * The message sent by the `sendEmail`/`sendSms` step `nodeId` reached `status`. Statuses imply
 * the ones before them: a click counts as an open, an open as a delivery.
 */
export const MessageCondition = z.object({
	kind: z.literal('message'),
	nodeId: Id,
	status: z.enum(['delivered', 'opened', 'clicked'])
});

/**
 * The customer did `event` (matching `filters`) within the last `within` (ever, as far as the
 * worker looks back, when absent). `occurred: false` turns it into "did not".
 */
export const EventCondition = z.object({
	kind: z.literal('event'),
	event: EventName,
	filters: z.array(PropertyFilter).optional(),
	within: Duration.optional(),
	occurred: z.boolean().optional()
});

/** Where a stock condition reads its SKU: the entry event's property, a profile trait, or a fixed SKU. */
export const StockSkuSource = z.discriminatedUnion('from', [
	z.object({ from: z.literal('entryProperty'), path: PropertyPath }),
	z.object({ from: z.literal('trait'), path: PropertyPath }),
	z.object({ from: z.literal('fixed'), sku: Text })
]);
/** Which store: the customer's (a trait such as `preferred_store`) or a fixed store id. */
export const StockStoreSource = z.discriminatedUnion('from', [
	z.object({ from: z.literal('trait'), path: PropertyPath }),
	z.object({ from: z.literal('fixed'), storeId: Text })
]);

/**
 * At least `minQuantity` of the SKU are on the shelf of the customer's store (read when the step runs). No SKU
 * or no store resolved (the trait is missing) counts as not in stock.
 */
export const StockCondition = z.object({
	kind: z.literal('stock'),
	sku: StockSkuSource,
	store: StockStoreSource,
	minQuantity: z.number().int().min(1).max(1_000_000)
});
export type StockCondition = z.infer<typeof StockCondition>;

export const Condition = z.discriminatedUnion('kind', [
	TraitCondition,
	EntryPropertyCondition,
	ConsentCondition,
	OfferCondition,
	MessageCondition,
	EventCondition,
	StockCondition
]);
export type Condition = z.infer<typeof Condition>;

/** One output of a condition: taken when all (or any) of its conditions hold. */
export const ConditionBranch = z.object({
	id: Id,
	label: Text,
	match: z.enum(['all', 'any']),
	conditions: z.array(Condition).min(1)
});
export type ConditionBranch = z.infer<typeof ConditionBranch>;

/**
 * Multi-way split: branches are tried in order, the first that matches wins; nobody matched →
 * the `else` branch (`elseLabel` only names it on the canvas).
 */
export const ConditionNode = z
	.object({
		...nodeBase,
		type: z.literal('condition'),
		branches: z.array(ConditionBranch).min(1),
		elseLabel: z.string().max(200).optional()
	})
	.superRefine((node, ctx) => checkUniqueIds(node.branches, 'branches', ELSE_BRANCH, ctx));
export type ConditionNode = z.infer<typeof ConditionNode>;
