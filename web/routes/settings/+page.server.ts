import { fail } from '@sveltejs/kit';
import { desc, eq, isNull } from 'drizzle-orm';
import { z } from 'zod';
import { createApiKey, createUser, disableUser, enableUser, revokeApiKey, setUserRole } from '$core/auth/accounts';
import { channelSettings } from '$core/channels/providers';
import { apiKeys, roles, users } from '$core/db/schema/auth';
import { actorOf } from '$core/privacy/audit';
import { requirePage } from '$lib/server/auth';
import { appEnv, database } from '$lib/server/context';
import type { Actions, PageServerLoad } from './$types';

const NewKey = z.object({
	name: z.string().trim().min(1, 'Give the key a name.').max(100),
	kind: z.enum(['write', 'secret']),
	role: z.enum(roles)
});
const NewUser = z.object({
	email: z.string().trim().email('Enter an e-mail address.'),
	name: z.string().trim().min(1, 'Enter a name.').max(100),
	role: z.enum(roles),
	password: z.string().min(10, 'Use at least 10 characters.')
});

/** Which channel sends for real and which writes to the outbox: read from the environment, never shown in full. */
function channels() {
	const env = appEnv();
	return [
		{
			name: 'Email (SendGrid)',
			live: Boolean(env.SENDGRID_API_KEY),
			detail: env.SENDGRID_API_KEY ? `from ${channelSettings(env).emailFrom}` : 'outbox — set SENDGRID_API_KEY'
		},
		{
			name: 'SMS (Twilio)',
			live: Boolean(env.TWILIO_ACCOUNT_SID && env.TWILIO_AUTH_TOKEN),
			detail: env.TWILIO_ACCOUNT_SID
				? env.TWILIO_MESSAGING_SERVICE_SID
					? 'messaging service'
					: `from ${env.TWILIO_FROM ?? '?'}`
				: 'outbox — set TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN'
		},
		{ name: 'Meta Custom Audiences', live: Boolean(env.META_ACCESS_TOKEN), detail: env.META_ACCESS_TOKEN ? 'configured' : 'outbox — set META_ACCESS_TOKEN' },
		{
			name: 'Google Customer Match',
			live: Boolean(env.GOOGLE_ADS_ACCESS_TOKEN && env.GOOGLE_ADS_DEVELOPER_TOKEN),
			detail: env.GOOGLE_ADS_CUSTOMER_ID ? `customer ${env.GOOGLE_ADS_CUSTOMER_ID}` : 'outbox — set GOOGLE_ADS_* variables'
		},
		{
			name: 'SendGrid event webhook',
			live: Boolean(env.SENDGRID_WEBHOOK_PUBLIC_KEY),
			detail: env.SENDGRID_WEBHOOK_PUBLIC_KEY ? 'signature verified' : 'disabled — set SENDGRID_WEBHOOK_PUBLIC_KEY'
		}
	];
}

export const load = (async ({ locals }) => {
	requirePage(locals.principal, 'settings:manage');
	const { db } = await database();
	const [keys, people] = await Promise.all([
		db
			.select({ id: apiKeys.id, name: apiKeys.name, kind: apiKeys.kind, role: apiKeys.role, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt })
			.from(apiKeys)
			.where(isNull(apiKeys.revokedAt))
			.orderBy(desc(apiKeys.createdAt)),
		db
			.select({ id: users.id, email: users.email, name: users.name, role: users.role, createdAt: users.createdAt, disabledAt: users.disabledAt })
			.from(users)
			.orderBy(users.email)
	]);
	return {
		keys,
		people,
		me: locals.principal?.kind === 'user' ? locals.principal.user.id : null,
		channels: channels(),
		publicUrl: appEnv().PUBLIC_URL ?? null
	};
}) satisfies PageServerLoad;

/** Every action here is an admin action: each records itself in the audit log (core/privacy/audit.ts) with the caller. */
export const actions = {
	createKey: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const parsed = NewKey.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'key' as const, message: parsed.error.issues[0]!.message });
		const { key } = await createApiKey((await database()).db, parsed.data, actorOf(locals.principal, getClientAddress()));
		// The clear key is shown once, now; only its hash is stored.
		return { form: 'key' as const, createdKey: key, name: parsed.data.name };
	},
	revokeKey: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const id = String((await request.formData()).get('id') ?? '');
		const { db } = await database();
		if (!(await revokeApiKey(db, id, actorOf(locals.principal, getClientAddress()))))
			return fail(404, { form: 'key' as const, message: 'That key no longer exists.' });
		return { form: 'key' as const, revoked: true };
	},
	createUser: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const parsed = NewUser.safeParse(Object.fromEntries(await request.formData()));
		if (!parsed.success) return fail(400, { form: 'user' as const, message: parsed.error.issues[0]!.message });
		const { db } = await database();
		const [existing] = await db.select({ id: users.id }).from(users).where(eq(users.email, parsed.data.email.toLowerCase()));
		if (existing) return fail(409, { form: 'user' as const, message: 'Someone already signs in with that e-mail.' });
		await createUser(db, parsed.data, actorOf(locals.principal, getClientAddress()));
		return { form: 'user' as const, createdUser: parsed.data.email };
	},
	/** Someone leaves (or a password leaked): they are signed out everywhere at once and cannot sign in again. */
	disableUser: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const id = String((await request.formData()).get('id') ?? '');
		if (locals.principal?.kind === 'user' && locals.principal.user.id === id)
			return fail(400, { form: 'access' as const, ok: false, message: 'You cannot disable your own account.' });
		const { db } = await database();
		const [person] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
		if (!person) return fail(404, { form: 'access' as const, ok: false, message: 'That person no longer exists.' });
		await disableUser(db, id, new Date(), actorOf(locals.principal, getClientAddress()));
		return { form: 'access' as const, ok: true, message: `${person.email} is disabled and signed out everywhere.` };
	},
	enableUser: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const id = String((await request.formData()).get('id') ?? '');
		const { db } = await database();
		const [person] = await db.select({ email: users.email }).from(users).where(eq(users.id, id));
		if (!person || !(await enableUser(db, id, actorOf(locals.principal, getClientAddress()))))
			return fail(404, { form: 'access' as const, ok: false, message: 'That person no longer exists.' });
		return { form: 'access' as const, ok: true, message: `${person.email} can sign in again.` };
	},
	/** A new role takes effect at the person's next request (sessions read the role each time). */
	changeRole: async ({ request, locals, getClientAddress }) => {
		requirePage(locals.principal, 'settings:manage');
		const form = await request.formData();
		const id = String(form.get('id') ?? '');
		const role = z.enum(roles).safeParse(form.get('role'));
		if (!role.success) return fail(400, { form: 'access' as const, ok: false, message: 'Choose one of the roles.' });
		if (locals.principal?.kind === 'user' && locals.principal.user.id === id)
			return fail(400, { form: 'access' as const, ok: false, message: 'You cannot change your own role.' });
		const { db } = await database();
		const [person] = await db.select({ email: users.email, role: users.role }).from(users).where(eq(users.id, id));
		if (!person) return fail(404, { form: 'access' as const, ok: false, message: 'That person no longer exists.' });
		if (!(await setUserRole(db, id, role.data, actorOf(locals.principal, getClientAddress()))))
			return { form: 'access' as const, ok: true, message: `${person.email} is already ${role.data}.` };
		return { form: 'access' as const, ok: true, message: `${person.email} is now ${role.data} (was ${person.role}).` };
	}
} satisfies Actions;
