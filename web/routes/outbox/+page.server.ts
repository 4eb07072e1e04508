import { requirePage } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { listOutbox, OutboxQuery } from '$lib/server/outbox';
import type { PageServerLoad } from './$types';

/** Messages carry customers' addresses, words and codes: only roles that send them (admins, marketers) read them. */
export const load = (async ({ locals, url }) => {
	requirePage(locals.principal, 'outbox:read');
	// A hand-edited query string falls back to the defaults rather than failing the page.
	const parsed = OutboxQuery.safeParse(Object.fromEntries(url.searchParams));
	const query = parsed.success ? parsed.data : OutboxQuery.parse({});
	return { list: await listOutbox((await database()).db, query), query };
}) satisfies PageServerLoad;
