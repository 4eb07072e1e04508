import { fail, type RequestEvent } from '@sveltejs/kit';
import { can } from '$core/auth/roles';
import type { Principal } from '$core/auth/index';
import { importStockCsv, knownSkus, listStores, MAX_STOCK_CSV_BYTES } from '$core/commerce/index';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { notifyRouter } from '$lib/server/routing';

/** Who may load stock files here: the same people as `PUT /api/v1/stores/{id}/stock` (admins). */
export function canUploadStock(principal: Principal | null): boolean {
	return principal?.kind === 'user' && can(principal.user.role, 'settings:manage');
}

/**
 * The store page's stock file upload (`store,sku,quantity`): size-limited before it is read, parsed as text (never
 * evaluated), applied all or nothing; bad lines come back with their numbers for the page to show inline.
 */
export async function uploadStock({ locals, request }: Pick<RequestEvent, 'locals' | 'request'>) {
	requirePage(locals.principal, 'settings:manage');
	const file = (await request.formData()).get('file');
	if (!(file instanceof File) || file.size === 0) return fail(400, { action: 'uploadStock' as const, ok: false, message: 'Choose a CSV file.', errors: [] });
	if (file.size > MAX_STOCK_CSV_BYTES)
		return fail(413, {
			action: 'uploadStock' as const,
			ok: false,
			message: `The file is larger than ${MAX_STOCK_CSV_BYTES / 1024 / 1024} MB: split it.`,
			errors: []
		});
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(await file.arrayBuffer());
	} catch {
		return fail(400, { action: 'uploadStock' as const, ok: false, message: 'The file is not UTF-8 text: save it as “CSV UTF-8”.', errors: [] });
	}
	const { db } = await database();
	const knownStores = new Set((await listStores(db)).map((s) => s.id));
	const result = await importStockCsv(db, text, { knownStores, knownSkus: (skus) => knownSkus(db, skus) });
	if (!result.ok) {
		const errors = result.errors.slice(0, 50);
		const more = result.errors.length - errors.length;
		return fail(422, {
			action: 'uploadStock' as const,
			ok: false,
			message: `Nothing was changed: ${result.errors.length} line${result.errors.length === 1 ? ' needs' : 's need'} fixing${more > 0 ? ` (the first 50 below)` : ''}.`,
			errors
		});
	}
	notifyRouter(result.update.eventIds);
	const restocked = result.update.restocked.length;
	return {
		action: 'uploadStock' as const,
		ok: true,
		message: `Stock updated: ${result.rows} line${result.rows === 1 ? '' : 's'}${restocked ? `, ${restocked} back on a shelf` : ''}.`,
		errors: []
	};
}
