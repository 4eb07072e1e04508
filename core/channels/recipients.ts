import { and, desc, inArray, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client';
import { typedRows } from '../db/json-rows';
import { customers, identities, type ConsentChannel, type ConsentState, type Customer } from '../db/schema/customers';
import { familyOf, liveCustomer } from '../identity/lookup';
import { normalizeEmail, normalizePhone } from '../identity/normalize';
import { rowsOf, textsIn } from '../db/rows';

/** A customer as a sender needs them: where to reach them and what they agreed to. */
export type Recipient = {
	customerId: string;
	traits: Record<string, unknown>;
	timezone: string | null;
	consent: Partial<Record<ConsentChannel, ConsentState>>;
	erased: boolean;
	email: string | null;
	phone: string | null;
	/** Where WhatsApp goes: the `whatsapp` trait (a number used only there) when valid, else `phone`. */
	whatsapp: string | null;
	/** Every known address, for ad matching (more identifiers, better match rates). */
	emails: string[];
	phones: string[];
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);

/**
 * Loads the surviving profile for `customerId`. The address is the `email`/`phone` trait when valid (what
 * the customer last told us), else the most recently seen identity of that kind across merged profiles.
 */
export async function loadRecipient(db: Db, customerId: string): Promise<Recipient | null> {
	return (await loadRecipients(db, [customerId])).get(customerId) ?? null;
}

/**
 * loadRecipient for many customers at once (the worker's sends in flight share it, core/channels/send-store.ts): one
 * read for the common case, profiles never merged away — each row with its family's addresses.
 */
export async function loadRecipients(db: Db, customerIds: readonly string[]): Promise<Map<string, Recipient | null>> {
	const found = new Map<string, Recipient | null>(customerIds.map((id) => [id, null]));
	if (customerIds.length === 0) return found;
	const raw = rowsOf<Record<string, unknown> & { addresses: Address[] | string }>(
		await db.execute(sql`
			select c.*, ${addressesOf(sql`c.id`)} as addresses from ${customers} c
			where c.id in ${textsIn(customerIds)}`)
	);
	const rows = typedRows(customers, raw).map((row, i) => ({ ...row, addresses: raw[i]!.addresses }));
	for (const first of rows) found.set(first.id, await recipientOf(db, first));
	return found;
}

async function recipientOf(db: Db, first: Customer & { addresses: Address[] | string }): Promise<Recipient | null> {
	if (first.erasedAt) return null;
	let row: Customer | null = first;
	let ids = parsed(first.addresses);
	if (first.mergedInto) {
		row = await liveCustomer(db, first.mergedInto);
		if (!row) return null;
		ids = await db
			.select({ kind: identities.kind, value: identities.value })
			.from(identities)
			.where(and(inArray(identities.customerId, familyOf(row.id)), inArray(identities.kind, ['email', 'phone'])))
			.orderBy(desc(identities.firstSeenAt));
	}
	const traitEmail = str(row.traits.email) ? normalizeEmail(str(row.traits.email)!) : null;
	const traitPhone = str(row.traits.phone) ? normalizePhone(str(row.traits.phone)!) : null;
	const emails = unique([traitEmail, ...ids.filter((i) => i.kind === 'email').map((i) => normalizeEmail(i.value))]);
	const phones = unique([traitPhone, ...ids.filter((i) => i.kind === 'phone').map((i) => normalizePhone(i.value))]);
	return {
		customerId: row.id,
		traits: row.traits,
		timezone: row.timezone,
		consent: row.consent,
		erased: row.erasedAt !== null,
		email: emails[0] ?? null,
		phone: phones[0] ?? null,
		whatsapp: (str(row.traits.whatsapp) ? normalizePhone(str(row.traits.whatsapp)!) : null) ?? phones[0] ?? null,
		emails,
		phones
	};
}

function unique(values: Array<string | null>): string[] {
	return [...new Set(values.filter((v): v is string => v !== null))];
}

type Address = { kind: string; value: string };

/**
 * The e-mail and phone identities of the profile and every profile merged into it, newest first, as one column.
 * `= any(array(family))`, not `in (family)`: the planner guesses a recursive family at 11 rows and would hash-join
 * them with a scan of every identity, per recipient; an array of them is looked up in the customer index.
 */
function addressesOf(customerId: SQL): SQL<Address[] | string> {
	return sql<Address[] | string>`coalesce((select json_agg(json_build_object('kind', i.kind, 'value', i.value) order by i.first_seen_at desc)
		from ${identities} i where i.customer_id = any(array${familyOf(customerId)}) and i.kind in ('email', 'phone')), '[]'::json)`;
}

/** Drivers hand json back parsed or as text. */
function parsed(value: Address[] | string): Address[] {
	return typeof value === 'string' ? (JSON.parse(value) as Address[]) : value;
}
