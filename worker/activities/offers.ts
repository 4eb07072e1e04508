import type { Db } from '../../core/db/client';
import { durationToMs } from '../../core/graph/time';
import type { GrantOfferNode } from '../../core/graph/nodes';
import { grantOffer as grant, OfferInputError } from '../../core/offers/index';
import type { ActionInput, ActionOutcome } from '../../core/enrollment/activities';
import { nonRetryable, stepKey } from './keys';
import { productsInStock } from './stock';

/** One offer per customer and step: the grant key makes a retried activity answer the same code. */
export async function grantOfferStep(db: Db, input: ActionInput<GrantOfferNode>, now = new Date()): Promise<ActionOutcome> {
	const { node, ref } = input;
	let productScope = node.productScope;
	if (node.inStockAt && productScope) {
		const inStock = await productsInStock(db, ref.customerId, productScope, node.inStockAt);
		if (inStock.storeId === null) return { status: 'skipped', reason: 'no_store', detail: { message: 'The customer has no store to check stock at.' } };
		if (inStock.skus.length === 0) return { status: 'skipped', reason: 'out_of_stock', detail: { storeId: inStock.storeId } };
		productScope = inStock.skus;
	}
	try {
		const offer = await grant(db, {
			grantKey: stepKey(ref, node.id, input.visit),
			customerId: ref.customerId,
			journeyId: ref.journeyId,
			enrollmentId: ref.enrollmentId,
			nodeId: node.id,
			title: node.title,
			kind: node.kind,
			value: node.value,
			currency: node.currency,
			productScope,
			storeScope: node.storeScope,
			validForMs: durationToMs(node.validFor),
			codePrefix: node.codePrefix,
			now
		});
		return { status: 'done', detail: { offerId: offer.id, code: offer.code } };
	} catch (err) {
		if (err instanceof OfferInputError) throw nonRetryable(err.message);
		throw err;
	}
}
