import { z } from 'zod';
import type { Db } from '../db/client';
import { notes } from '../db/schema/customers';
import { survivorOf } from './lookup';

/** A staff note, validated by the form and the API alike. */
export const NoteInput = z.object({ body: z.string().trim().min(1, 'Write something first.').max(5000, 'Keep notes under 5,000 characters.') });

/** Adds a note to the live profile (a merged-away id leads to the survivor); null when the customer is unknown. */
export async function addNote(db: Db, customerId: string, author: string, body: string): Promise<{ id: number; customerId: string } | null> {
	const input = NoteInput.parse({ body });
	const live = await survivorOf(db, customerId);
	if (!live) return null;
	const [row] = await db.insert(notes).values({ customerId: live, author, body: input.body }).returning({ id: notes.id });
	return { id: row!.id, customerId: live };
}
