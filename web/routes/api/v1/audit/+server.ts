import { json } from '@sveltejs/kit';
import { AuditQuery, listAudit } from '$core/privacy/audit';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { parseQuery } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * `GET /api/v1/audit?action=&actor=&from=&to=&page=&pageSize=` (admins): the audit log of admin actions, newest
 * first. `from`/`to` are days (YYYY-MM-DD, UTC, inclusive); `actor` matches part of an e-mail or key name.
 */
export const GET: RequestHandler = async ({ locals, url }) => {
	const denied = denyApi(locals.principal, 'audit:read');
	if (denied) return denied;
	const q = parseQuery(url, AuditQuery);
	if (!q.ok) return q.response;
	return json(await listAudit((await database()).db, q.data));
};
