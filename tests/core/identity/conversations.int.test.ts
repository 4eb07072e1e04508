import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../../../core/db/client';
import { events } from '../../../core/db/schema/events';
import { customerTimeline, groupTimeline, recordConversationMessage } from '../../../core/identity/index';
import { ingestMessages } from '../../../core/ingest/index';
import { dbKinds, freshDb } from '../../helpers/db';

describe.each(dbKinds())('conversations recorded against a customer (%s)', (kind) => {
	let db: DbHandle;
	beforeAll(async () => {
		db = await freshDb(kind);
	});
	afterAll(async () => {
		await db?.close();
	});

	it('records lines as conversation_message events, unrouted, and the timeline folds them with the summary', async () => {
		const { accepted } = await ingestMessages(db.db, [{ type: 'identify', userId: 'u-conv', messageId: 'conv-id', traits: { name: 'Inès' } }]);
		const customerId = accepted[0]!.customerId!;
		const t0 = new Date(Date.now() - 60_000);
		const first = await recordConversationMessage(db.db, customerId, 'Léa', { channel: 'chat', text: 'Looking for trail shoes', topic: 'Trail shoes' }, t0);
		expect(first).not.toBeNull();
		await recordConversationMessage(
			db.db,
			customerId,
			'Léa',
			{ channel: 'chat', conversationId: first!.conversationId, author: 'customer', text: 'Size 42 please', summary: 'Trail 2 in 42; will try in Paris' },
			new Date(t0.getTime() + 1_000)
		);
		// A line that arrived through the ingest API from a chat tool joins the same conversation.
		await ingestMessages(db.db, [
			{
				type: 'track',
				userId: 'u-conv',
				messageId: 'chat-tool-1',
				event: 'conversation_message',
				timestamp: new Date(t0.getTime() + 2_000).toISOString(),
				properties: { conversation_id: first!.conversationId, channel: 'chat', author: 'advisor', advisor: 'Bot', text: 'Reserved a pair for you' }
			}
		]);

		const [row] = await db.db.select().from(events).where(eq(events.id, first!.eventId));
		expect(row).toMatchObject({
			name: 'conversation_message',
			customerId,
			routedAt: null,
			properties: { conversation_id: first!.conversationId, advisor: 'Léa' }
		});
		const entries = groupTimeline(await customerTimeline(db.db, customerId));
		const conv = entries.find((e) => e.kind === 'conversation');
		expect(conv).toMatchObject({ summary: 'Trail 2 in 42; will try in Paris', topic: 'Trail shoes', advisors: ['Bot', 'Léa'] });
		expect(conv?.kind === 'conversation' && conv.lines.map((l) => l.text)).toEqual(['Looking for trail shoes', 'Size 42 please', 'Reserved a pair for you']);
	});

	it('refuses an empty line and answers null for an unknown customer', async () => {
		await expect(recordConversationMessage(db.db, 'nobody', 'Léa', { channel: 'phone', text: 'Hello' })).resolves.toBeNull();
		await expect(recordConversationMessage(db.db, 'nobody', 'Léa', { channel: 'phone', text: '  ' })).rejects.toThrow(/Write what was said/);
	});
});
