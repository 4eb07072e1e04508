import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey, createUser, disableUser, enableUser, revokeApiKey, setUserRole } from '../../../core/auth/accounts';
import type { DbHandle } from '../../../core/db/client';
import { auditLog } from '../../../core/db/schema/audit';
import { customers, identities } from '../../../core/db/schema/customers';
import { createJourney, publish, setArchived, setStatus } from '../../../core/journeys/index';
import { listAudit, type AuditActor } from '../../../core/privacy/audit';
import { exportCustomer } from '../../../core/privacy/export';
import { dbKinds, freshDb } from '../../helpers/db';
import { waitingJourney } from '../journeys/fixtures';

const admin: AuditActor = { kind: 'user', id: 'u-admin', label: 'admin@example.test', ip: '198.51.100.7' };
const key: AuditActor = { kind: 'key', id: 'k-1', label: 'key:deploy bot' };

describe.each(dbKinds())('audit log on %s', (kind) => {
	let h: DbHandle;
	beforeAll(async () => void (h = await freshDb(kind)));
	afterAll(() => h.close());

	/** Runs `change` and returns the audit rows it wrote. */
	async function rowsWritten(change: () => Promise<unknown>) {
		const before = (await h.db.select({ id: auditLog.id }).from(auditLog)).map((r) => r.id);
		await change();
		return (await h.db.select().from(auditLog)).filter((r) => !before.includes(r.id));
	}

	it('records each journey action once, with who, from where and the journey; repeating a no-op records nothing', async () => {
		const { journey } = await createJourney(h.db, { name: 'Audited', definition: waitingJourney() });
		const target = { targetType: 'journey', targetId: journey.id };
		expect(await rowsWritten(() => publish(h.db, journey.id, { publishedBy: admin.label, actor: admin }))).toEqual([
			expect.objectContaining({
				action: 'journey.publish',
				...target,
				actorKind: 'user',
				actorId: 'u-admin',
				actorLabel: 'admin@example.test',
				ip: '198.51.100.7',
				details: { name: 'Audited', version: 1, created: true }
			})
		]);
		for (const action of ['pause', 'resume', 'pause'] as const)
			expect(await rowsWritten(() => setStatus(h.db, journey.id, action, { actor: key }))).toEqual([
				expect.objectContaining({ action: `journey.${action}`, ...target, actorKind: 'key', actorLabel: 'key:deploy bot', ip: null })
			]);
		expect(await rowsWritten(() => setStatus(h.db, journey.id, 'pause', { actor: key }))).toEqual([]); // already paused
		expect(await rowsWritten(() => setArchived(h.db, journey.id, true, { actor: admin }))).toEqual([
			expect.objectContaining({ action: 'journey.archive', ...target })
		]);
		expect(await rowsWritten(() => setArchived(h.db, journey.id, false, { actor: admin }))).toEqual([
			expect.objectContaining({ action: 'journey.unarchive', ...target })
		]);
		expect(await rowsWritten(() => setStatus(h.db, journey.id, 'stop', { actor: admin }))).toEqual([
			expect.objectContaining({ action: 'journey.stop', ...target })
		]);
		// A refused change records nothing: the audit row commits with the change or not at all.
		expect(await rowsWritten(() => publish(h.db, journey.id, { publishedBy: null, actor: admin }).catch(() => null))).toEqual([]);
	});

	it('records users and keys: create, role change, disable, enable, key create and revoke', async () => {
		const email = `new-${randomUUID().slice(0, 6)}@example.test`;
		let userId = '';
		const created = await rowsWritten(async () => {
			userId = (await createUser(h.db, { email, name: 'New', role: 'analyst', password: 'a long password' }, admin)).id;
		});
		expect(created).toEqual([expect.objectContaining({ action: 'user.create', targetType: 'user', targetId: userId, details: { email, role: 'analyst' } })]);
		expect(await rowsWritten(() => setUserRole(h.db, userId, 'marketer', admin))).toEqual([
			expect.objectContaining({ action: 'user.role_change', targetId: userId, details: { email, from: 'analyst', to: 'marketer' } })
		]);
		expect(await rowsWritten(() => setUserRole(h.db, userId, 'marketer', admin))).toEqual([]);
		expect(await rowsWritten(() => disableUser(h.db, userId, new Date(), admin))).toEqual([
			expect.objectContaining({ action: 'user.disable', targetId: userId })
		]);
		expect(await rowsWritten(() => enableUser(h.db, userId, admin))).toEqual([expect.objectContaining({ action: 'user.enable', targetId: userId })]);
		let keyId = '';
		const keyRows = await rowsWritten(async () => {
			keyId = (await createApiKey(h.db, { name: 'CRM sync', kind: 'secret', role: 'marketer' }, admin)).id;
		});
		expect(keyRows).toEqual([expect.objectContaining({ action: 'api_key.create', targetType: 'api_key', targetId: keyId })]);
		expect(keyRows[0]!.details).toMatchObject({ name: 'CRM sync', kind: 'secret', role: 'marketer' });
		expect(JSON.stringify(keyRows[0]!.details)).not.toMatch(/oc_secret_\w{20}/); // never the key itself
		expect(await rowsWritten(() => revokeApiKey(h.db, keyId, admin))).toEqual([expect.objectContaining({ action: 'api_key.revoke', targetId: keyId })]);
		expect(await rowsWritten(() => revokeApiKey(h.db, keyId, admin))).toEqual([]);
	});

	it('records an export with the customer id only', async () => {
		const id = randomUUID();
		await h.db.insert(customers).values({ id, traits: { email: 'audited@example.test' } });
		await h.db.insert(identities).values({ kind: 'email', value: 'audited@example.test', customerId: id });
		const rows = await rowsWritten(() => exportCustomer(h.db, id, { actor: admin }));
		expect(rows).toEqual([expect.objectContaining({ action: 'customer.export', targetType: 'customer', targetId: id })]);
		expect(JSON.stringify(rows[0])).not.toContain('audited@example.test');
	});

	it('lists newest first, filtered by action, actor and days, in pages', async () => {
		const all = await listAudit(h.db, { page: 1, pageSize: 200 });
		expect(all.total).toBeGreaterThan(10);
		expect(all.items.map((r) => r.at.getTime())).toEqual([...all.items.map((r) => r.at.getTime())].sort((a, b) => b - a));
		const publishes = await listAudit(h.db, { action: 'journey.publish', page: 1, pageSize: 50 });
		expect(publishes.items.map((r) => r.action)).toEqual(['journey.publish']);
		const byKey = await listAudit(h.db, { actor: 'DEPLOY', page: 1, pageSize: 50 });
		expect(byKey.total).toBe(3);
		expect(byKey.items.every((r) => r.actorKind === 'key')).toBe(true);
		const today = new Date().toISOString().slice(0, 10);
		expect((await listAudit(h.db, { from: today, to: today, page: 1, pageSize: 1 })).total).toBe(all.total);
		expect((await listAudit(h.db, { to: '2000-01-01', page: 1, pageSize: 50 })).total).toBe(0);
		const page2 = await listAudit(h.db, { page: 2, pageSize: 5 });
		expect(page2.items.map((r) => r.id)).toEqual(all.items.slice(5, 10).map((r) => r.id));
	});
});
