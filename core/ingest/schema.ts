import { z } from 'zod';
import { MAX_IDENTIFIER_LENGTH } from '../identity/normalize';

/*
 * Segment's tracking spec (https://segment.com/docs/connections/spec/): identify, track, page, screen, alias,
 * group. Unknown top-level fields (`_metadata`, `writeKey`, `channel`…) are dropped; `context`, `traits` and
 * `properties` are kept whole. Types are checked for the fields we read, so a bad one is a 400 that names it.
 */

const Obj = z.record(z.string(), z.unknown());
const Text = (max: number) => z.string().max(max).nullish();

/** userId, anonymousId, previousId, groupId: strings or numbers (Segment allows both); blank means absent. */
const Ident = z
	.union([z.string().max(MAX_IDENTIFIER_LENGTH), z.number().finite()])
	.nullish()
	.transform((v) => {
		const s = v === null || v === undefined ? '' : String(v).trim();
		return s === '' ? undefined : s;
	});

const MIN_YEAR = 1970;
const MAX_YEAR = 9999;

/** ISO 8601 (`2024-05-01T10:00:00.000Z`); years outside 1970–9999 are clock bugs, not history. */
const Timestamp = z
	.string()
	.max(64)
	.nullish()
	.transform((v, ctx) => {
		if (v === null || v === undefined) return undefined;
		const ms = /^\d{4}-\d{2}-\d{2}/.test(v) ? Date.parse(v) : NaN;
		const year = new Date(ms).getUTCFullYear();
		if (Number.isNaN(ms) || year < MIN_YEAR || year > MAX_YEAR) {
			ctx.addIssue({ code: 'custom', message: 'Expected an ISO 8601 date-time between 1970 and 9999' });
			return z.NEVER;
		}
		return new Date(ms);
	});

export const Context = z.looseObject({
	ip: Text(64),
	userAgent: Text(2000),
	timezone: Text(64),
	locale: Text(64),
	campaign: z
		.looseObject({ name: Text(1000), source: Text(1000), medium: Text(1000), term: Text(1000), content: Text(1000), fbclid: Text(1000), gclid: Text(1000) })
		.nullish(),
	page: z.looseObject({ url: Text(8192), path: Text(8192), search: Text(8192), referrer: Text(8192), title: Text(2000) }).nullish(),
	traits: Obj.nullish()
});
export type Context = z.infer<typeof Context>;

const common = {
	messageId: z.string().trim().min(1).max(256).nullish(),
	userId: Ident,
	anonymousId: Ident,
	timestamp: Timestamp,
	originalTimestamp: Timestamp,
	sentAt: Timestamp,
	context: Context.nullish()
};

const Identify = z.object({ ...common, type: z.literal('identify'), traits: Obj.nullish() });
const Track = z.object({ ...common, type: z.literal('track'), event: z.string().trim().min(1).max(256), properties: Obj.nullish() });
const Page = z.object({ ...common, type: z.literal('page'), name: Text(256), category: Text(256), properties: Obj.nullish() });
const Screen = z.object({ ...common, type: z.literal('screen'), name: Text(256), category: Text(256), properties: Obj.nullish() });
const Alias = z.object({ ...common, type: z.literal('alias'), previousId: Ident });
const Group = z.object({ ...common, type: z.literal('group'), groupId: Ident, traits: Obj.nullish() });

export const Message = z.discriminatedUnion('type', [Identify, Track, Page, Screen, Alias, Group]).superRefine((m, ctx) => {
	if (m.type === 'alias') {
		if (!m.userId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'alias needs a userId' });
		if (!m.previousId) ctx.addIssue({ code: 'custom', path: ['previousId'], message: 'alias needs a previousId' });
		return;
	}
	if (!m.userId && !m.anonymousId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'Either userId or anonymousId is required' });
	if (m.type === 'group' && !m.groupId) ctx.addIssue({ code: 'custom', path: ['groupId'], message: 'group needs a groupId' });
});
export type Message = z.output<typeof Message>;
export type MessageType = Message['type'];
export const messageTypes = ['identify', 'track', 'page', 'screen', 'alias', 'group'] as const satisfies readonly MessageType[];
