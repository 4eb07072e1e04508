import { json } from '@sveltejs/kit';
import { and, eq, inArray } from 'drizzle-orm';
import { enrollments } from '$core/db/schema/journeys';
import { eraseCustomer } from '$core/identity/index';
import { exitEnrollments } from '$core/routing/index';
import { denyApi } from '$lib/server/auth';
import { database } from '$lib/server/context';
import { apiError } from '$lib/server/http';
import { router } from '$lib/server/router';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/customers/:id/erase` (GDPR erasure, admins): scrubs the person and every profile merged into
 * them, then ends their journeys so nothing more is sent. An unknown or already erased customer answers 404.
 */
export const POST: RequestHandler = async ({ locals, params }) => {
	const denied = denyApi(locals.principal, 'settings:manage');
	if (denied) return denied;
	const { db } = await database();
	const erased = await eraseCustomer(db, params.id);
	if (erased.length === 0) return apiError(404, 'not_found', 'No such customer.');
	const active = await db
		.select({ id: enrollments.id })
		.from(enrollments)
		.where(and(inArray(enrollments.customerId, erased), eq(enrollments.status, 'active')));
	const ended = await exitEnrollments(
		await router(),
		active.map((e) => e.id),
		'customer erased'
	);
	return json({ erased, endedEnrollments: ended });
};
