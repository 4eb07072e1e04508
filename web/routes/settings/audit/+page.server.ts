import { AuditQuery, auditActions, listAudit } from '$core/privacy/audit';
import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import type { PageServerLoad } from './$types';

/** Who did what: admin actions, newest first (admins). */
export const load = (async ({ locals, url }) => {
	requirePage(locals.principal, 'audit:read');
	// Empty form fields mean "any"; a hand-edited query string that does not parse is reported, not thrown.
	const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v.trim() !== ''));
	const parsed = AuditQuery.safeParse(raw);
	const query = parsed.success ? parsed.data : AuditQuery.parse({});
	return {
		list: await listAudit((await database()).db, query),
		query,
		actions: auditActions,
		invalid: parsed.success ? null : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')
	};
}) satisfies PageServerLoad;
