import { json } from '@sveltejs/kit';
import { checkHealth, healthDetailsAllowed } from '$lib/server/health';
import type { RequestHandler } from './$types';

/**
 * Public and cheap: load balancers and the status page poll it. 503 when any component is down. Component details
 * (addresses, error text) only for a signed-in admin; the ingest backlog for everyone.
 */
export const GET: RequestHandler = async ({ locals }) => {
	const health = await checkHealth({ detailed: healthDetailsAllowed(locals.principal) });
	return json(health, { status: health.ok ? 200 : 503, headers: { 'cache-control': 'no-store' } });
};
