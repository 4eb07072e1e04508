import { randomUUID } from 'node:crypto';
import { count, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey } from '../../core/auth/accounts';
import { messages } from '../../core/db/schema/messages';
import { enrollments } from '../../core/db/schema/journeys';
import { freshDb } from '../helpers/db';
import { linearJourney, publishTestJourney } from '../helpers/journeys';
import type {} from '../helpers/temporal'; // ProvidedContext['temporal']
import { startWeb, startWorker, timedFetch, type Child } from './processes';

const CUSTOMERS = 60;

/**
 * The production shape scaled out: two web processes (`node build`) and two workers (`tsx worker/main.ts`) against
 * one PostgreSQL and one Temporal server. Events for the same journey arrive through both web processes, and both
 * workers serve the task queue and run the background loops at once: every customer still goes through the journey
 * exactly once, and each message is sent exactly once (no event lost, none routed twice). PostgreSQL only: PGlite
 * admits a single process.
 */
describe.skipIf(!process.env.TEST_DATABASE_URL)('two web and two worker processes on one database', () => {
	let db: Awaited<ReturnType<typeof freshDb>>;
	const children: Child[] = [];
	let webs: Array<Child & { url: string }> = [];
	let writeKey = '';
	let journeyId = '';

	beforeAll(async () => {
		db = await freshDb('postgres');
		const t = inject('temporal');
		const env = {
			DATABASE_URL: db.url!,
			TEMPORAL_ADDRESS: t.address,
			TEMPORAL_NAMESPACE: t.namespace,
			TEMPORAL_TASK_QUEUE: `scale-${randomUUID().slice(0, 8)}`
		};
		const live = await publishTestJourney(
			db,
			linearJourney({ id: 'trigger', type: 'trigger', entry: { kind: 'event', event: 'Scale Tested' } }, [
				{ id: 'email', type: 'sendEmail', subject: 'Hello {{ customer.traits.name }}', text: 'Welcome' },
				{ id: 'sms', type: 'sendSms', body: 'See you in store' }
			])
		);
		journeyId = live.journeyId;
		writeKey = (await createApiKey(db.db, { name: 'scale', kind: 'write', role: 'marketer' })).key;
		// Started together, as an orchestrator would: their migrations take turns (core/db/migrate.ts).
		const started = await Promise.allSettled([startWorker(env), startWorker(env), startWeb(env), startWeb(env)]);
		for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
		for (const s of started) if (s.status === 'rejected') throw s.reason;
		webs = children.slice(2) as Array<Child & { url: string }>;
	}, 300_000);

	afterAll(async () => {
		await Promise.all(children.map((c) => c.stop('SIGTERM', 30_000)));
		await db?.close();
	});

	it('finishes every enrollment once and sends each message once', async () => {
		const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`;
		const post = (web: { url: string }, body: unknown) =>
			timedFetch(`${web.url}/api/v1/batch`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', authorization: auth },
				body: JSON.stringify(body)
			});
		// Each customer's identify and track go to different web processes, concurrently across customers.
		const answers = await Promise.all(
			Array.from({ length: CUSTOMERS }, async (_, i) => {
				const userId = `scale-${i}`;
				const a = await post(webs[i % 2]!, {
					batch: [
						{
							type: 'identify',
							userId,
							messageId: `id-${i}`,
							traits: { name: `Person ${i}`, email: `person${i}@example.com`, phone: `+3361234${String(i).padStart(4, '0')}` }
						}
					]
				});
				const b = await post(webs[(i + 1) % 2]!, { batch: [{ type: 'track', userId, event: 'Scale Tested', messageId: `track-${i}` }] });
				// A replay of the same track through the other process is deduplicated by messageId.
				const c = await post(webs[i % 2]!, { batch: [{ type: 'track', userId, event: 'Scale Tested', messageId: `track-${i}` }] });
				return [a.status, b.status, c.status];
			})
		);
		expect(answers.flat().every((s) => s === 200)).toBe(true);

		const deadline = Date.now() + 120_000;
		let done = 0;
		while (Date.now() < deadline) {
			const [row] = await db.db
				.select({ n: count() })
				.from(enrollments)
				.where(sql`${enrollments.journeyId} = ${journeyId} and ${enrollments.status} = 'completed'`);
			done = row!.n;
			if (done >= CUSTOMERS) break;
			await new Promise((r) => setTimeout(r, 500));
		}
		const tails = children.map((c, i) => `--- process ${i}\n${c.output().slice(-2_000)}`).join('\n');
		expect(done, `completed enrollments; process output:\n${tails}`).toBe(CUSTOMERS);
		const all = await db.db.select({ customerId: enrollments.customerId }).from(enrollments).where(eq(enrollments.journeyId, journeyId));
		expect(all).toHaveLength(CUSTOMERS);
		expect(new Set(all.map((e) => e.customerId)).size).toBe(CUSTOMERS);

		const sent = await db.db
			.select({ channel: messages.channel, n: count() })
			.from(messages)
			.where(sql`${messages.enrollmentId} in (select id from enrollments where journey_id = ${journeyId})`)
			.groupBy(messages.channel);
		expect(Object.fromEntries(sent.map((s) => [s.channel, s.n]))).toEqual({ email: CUSTOMERS, sms: CUSTOMERS });
		// Both workers took part (each polls the same task queue; with 60 enrollments both get work).
		for (const w of children.slice(0, 2)) expect(w.alive()).toBe(true);
	}, 240_000);
});
