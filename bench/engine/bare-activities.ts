import type postgres from 'postgres';

export type BareActivities = { send(channel: 'email' | 'sms', customerId: string): Promise<void> };

/** One INSERT per send: what a send costs the database at the least (our outbox writes one message row). */
export function bareActivities(sql: postgres.Sql): BareActivities {
	return {
		async send(channel, customerId) {
			await sql`insert into bench_bare_sends (customer_id, channel) values (${customerId}, ${channel}) on conflict do nothing`;
		}
	};
}

export const BARE_TABLE_DDL = `create table if not exists bench_bare_sends (
	customer_id text not null,
	channel text not null,
	at timestamptz not null default now(),
	primary key (customer_id, channel)
)`;
