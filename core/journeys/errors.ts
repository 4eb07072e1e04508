import type { Problem } from '../graph/validate';

/** Why a journeys operation was refused; core/http/errors.ts maps each to a status. */
export type JourneyErrorCode = 'not_found' | 'invalid_journey' | 'invalid_transition' | 'customer_not_found' | 'draft_conflict' | 'journey_archived';

/** A business refusal, never a bug: carries a code the API returns as-is and a sentence a marketer can read. */
export class JourneyError extends Error {
	override name = 'JourneyError';
	constructor(
		readonly code: JourneyErrorCode,
		message: string,
		/** For `invalid_journey`: the validation problems. */
		readonly problems?: Problem[],
		/** Anything else the client needs to act on the refusal (the current revision for `draft_conflict`). */
		readonly details?: Record<string, unknown>
	) {
		super(message);
	}
}

export const journeyNotFound = (id: string) => new JourneyError('not_found', `No journey has the id “${id}”.`);

/** Publishing or resuming an archived journey: it must come back from the archive first. */
export const journeyArchived = (doing: string) => new JourneyError('journey_archived', `This journey is archived, so it cannot ${doing}. Unarchive it first.`);
