import { z } from 'zod';
import { Duration, Id, PropertyPath, Text, issue, nodeBase } from './common';
import { StockStoreSource } from './condition';

/** Add the customer to (or remove them from) a Meta Custom Audience / Google Customer Match list. */
export const AdAudienceNode = z.object({
	...nodeBase,
	type: z.literal('adAudience'),
	provider: z.enum(['meta', 'google']),
	audienceId: Id,
	action: z.enum(['add', 'remove'])
});
export type AdAudienceNode = z.infer<typeof AdAudienceNode>;

/**
 * Grant one offer with one code, valid on every channel for `validFor`. Scopes list product or
 * store ids; absent means "all". `amount` offers need a `currency` (ISO 4217).
 */
export const GrantOfferNode = z
	.object({
		...nodeBase,
		type: z.literal('grantOffer'),
		title: Text,
		kind: z.enum(['percent', 'amount']),
		value: z.number().positive(),
		currency: z
			.string()
			.regex(/^[A-Z]{3}$/, 'expected a currency code like EUR')
			.optional(),
		productScope: z.array(Id).min(1).optional(),
		storeScope: z.array(Id).min(1).optional(),
		/**
		 * Name only the products of `productScope` on the shelf of this store (the customer's, from a trait, or a
		 * fixed one) when the offer is granted; none there, or no store known, and the step is skipped.
		 */
		inStockAt: StockStoreSource.optional(),
		validFor: Duration,
		codePrefix: z
			.string()
			.regex(/^[A-Za-z0-9-]{1,12}$/, 'letters, digits or dashes')
			.optional()
	})
	.superRefine((node, ctx) => {
		if (node.kind === 'percent' && node.value > 100) ctx.addIssue(issue(['value'], 'gives more than 100% off.', 'invalid_field'));
		if (node.kind === 'amount' && node.currency === undefined) ctx.addIssue(issue(['currency'], 'missing', 'missing_field'));
		if (node.inStockAt && !node.productScope) ctx.addIssue(issue(['inStockAt'], 'needs the products the offer covers (productScope).', 'missing_field'));
	});
export type GrantOfferNode = z.infer<typeof GrantOfferNode>;

/**
 * Which store acts: the customer's preferred one, the one the entry event names (`property`, e.g. an order's pickup
 * store `store_id`), each with `fallbackStoreId` when there is none, or always `storeId`.
 */
export const StoreScope = z.discriminatedUnion('kind', [
	z.object({ kind: z.literal('preferred'), fallbackStoreId: Id.optional() }),
	z.object({ kind: z.literal('event'), property: z.string().trim().min(1, 'Name the event property that holds the store id'), fallbackStoreId: Id.optional() }),
	z.object({ kind: z.literal('fixed'), storeId: Id })
]);
export type StoreScope = z.infer<typeof StoreScope>;

/** A task for store staff (call back, hold an item, welcome with the offer from `offerNodeId`). */
export const StoreTaskNode = z.object({
	...nodeBase,
	type: z.literal('storeTask'),
	title: Text,
	instructions: Text,
	store: StoreScope,
	offerNodeId: Id.optional()
});
export type StoreTaskNode = z.infer<typeof StoreTaskNode>;

/** POST to an http(s) URL; `body` is a Liquid template (usually JSON). */
export const WebhookNode = z.object({
	...nodeBase,
	type: z.literal('webhook'),
	url: z.url({ protocol: /^https?$/ }),
	method: z.literal('POST').optional(),
	headers: z.record(z.string().min(1), z.string()).optional(),
	body: z.string().optional()
});
export type WebhookNode = z.infer<typeof WebhookNode>;

/** Set traits (dotted keys allowed) and/or remove traits. */
export const UpdateProfileNode = z
	.object({
		...nodeBase,
		type: z.literal('updateProfile'),
		set: z.record(PropertyPath, z.json()).optional(),
		unset: z.array(PropertyPath).optional()
	})
	.superRefine((node, ctx) => {
		if (Object.keys(node.set ?? {}).length === 0 && (node.unset ?? []).length === 0) ctx.addIssue(issue(['set'], 'missing', 'missing_field'));
	});
export type UpdateProfileNode = z.infer<typeof UpdateProfileNode>;

/** Ends the enrollment; `reason` (e.g. "converted") is recorded in the step log. */
export const ExitNode = z.object({ ...nodeBase, type: z.literal('exit'), reason: z.string().max(200).optional() });
export type ExitNode = z.infer<typeof ExitNode>;
