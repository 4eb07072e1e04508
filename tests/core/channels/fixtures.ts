/** Shared test fixtures for the channel suites: customers, enrollments, settings and local fake HTTP servers. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../../../core/db/client';
import { customers, identities, type ConsentChannel, type ConsentState } from '../../../core/db/schema/customers';
import { enrollments, journeys } from '../../../core/db/schema/journeys';
import type { ChannelSettings } from '../../../core/channels/types';

export const settings: ChannelSettings = {
	publicUrl: 'https://shop.example.test',
	appSecret: 'test-app-secret',
	emailFrom: 'Omnicanal Shop <shop@example.com>',
	statusCallbacks: true
};

export async function seedCustomer(
	db: Db,
	id: string,
	opts: { email?: string; phone?: string; traits?: Record<string, unknown>; consent?: Partial<Record<ConsentChannel, ConsentState>> } = {}
): Promise<void> {
	await db.insert(customers).values({ id, traits: { ...(opts.email ? { email: opts.email } : {}), ...opts.traits }, consent: opts.consent ?? {} });
	if (opts.email) await db.insert(identities).values({ kind: 'email', value: opts.email.toLowerCase(), customerId: id });
	if (opts.phone) await db.insert(identities).values({ kind: 'phone', value: opts.phone, customerId: id });
}

/**
 * An enrollment row (and its journey, the first time) for suites that send or grant on behalf of an enrollment
 * without running one: messages and offers reference the enrollment they came from.
 */
export async function seedEnrollment(db: Db, id: string, customerId: string, journeyId = 'j-spring'): Promise<void> {
	await db
		.insert(journeys)
		.values({ id: journeyId, name: 'Spring', draft: { nodes: [], edges: [] } })
		.onConflictDoNothing();
	const n = (await db.$count(enrollments, and(eq(enrollments.journeyId, journeyId), eq(enrollments.customerId, customerId)))) + 1;
	await db.insert(enrollments).values({ id, journeyId, version: 1, customerId, n });
}

export { fakeServer, sendJson, type FakeRequest, type FakeServer } from '../../helpers/http-fake';
