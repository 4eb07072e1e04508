import { z } from 'zod';
import { JourneyLayout } from '../graph/layout';
import { TEMPLATE_IDS } from '../graph/templates/index';
import type { JourneyStatus } from '../db/schema/journeys';
import type { EnrollmentStatus } from '../db/schema/journeys';

/**
 * Request shapes shared by the JSON API and the pages' form actions, so both refuse the same input with the
 * same words. Drafts are any JSON: a draft is work in progress and is validated separately.
 */
const Name = z.string().trim().min(1, 'Give the journey a name.').max(200, 'Keep the name under 200 characters.');
const Description = z.string().trim().max(2000, 'Keep the description under 2,000 characters.');

/** Ids of the templates in core/graph/templates, the gallery's order. */
export const JOURNEY_TEMPLATES = TEMPLATE_IDS;
export type JourneyTemplate = (typeof JOURNEY_TEMPLATES)[number];

export const CreateJourneyInput = z.object({
	name: Name,
	description: Description.optional(),
	/** A starting draft; wins over `template`. */
	definition: z.unknown().optional(),
	template: z.enum(JOURNEY_TEMPLATES).optional()
});
export type CreateJourneyInput = z.infer<typeof CreateJourneyInput>;

export const DuplicateJourneyInput = z.object({
	/** The copy's name; "<name> (copy)" when absent. */
	name: Name.optional()
});
export type DuplicateJourneyInput = z.infer<typeof DuplicateJourneyInput>;

export const UpdateJourneyInput = z
	.object({
		name: Name.optional(),
		description: Description.optional(),
		draft: z.unknown().optional(),
		/** Editor layout (positions, viewport): saved beside the draft, never part of a version's behaviour. */
		layout: JourneyLayout.optional(),
		/** The revision the editor started from; a save over a newer one is refused (`draft_conflict`) rather than lost. */
		baseRevision: z.number().int().min(0).optional()
	})
	.refine(
		(v) => v.name !== undefined || v.description !== undefined || v.draft !== undefined || v.layout !== undefined,
		'Send name, description, draft or layout.'
	);
export type UpdateJourneyInput = z.infer<typeof UpdateJourneyInput>;

export const StopInput = z.object({
	/** `drain`: no new entries, customers inside finish; `end`: everyone inside leaves now too. */
	mode: z.enum(['drain', 'end']).default('drain')
});
export type StopMode = z.infer<typeof StopInput>['mode'];

const Properties = z.record(z.string(), z.unknown()).optional();

/** Who to enrol by hand: our customer id, or an identity the customer is known by. */
export const ManualEntryInput = z.union([
	z.object({ customerId: z.string().trim().min(1), properties: Properties }),
	z.object({ userId: z.string().trim().min(1), properties: Properties }),
	z.object({ email: z.string().trim().min(1), properties: Properties })
]);
export type ManualEntryInput = z.infer<typeof ManualEntryInput>;

export const JOURNEY_SORTS = ['name', 'status', 'createdAt', 'updatedAt'] as const;
export type JourneySort = (typeof JOURNEY_SORTS)[number];

export const JOURNEY_STATUSES = ['draft', 'active', 'paused', 'stopped'] as const satisfies readonly JourneyStatus[];
export const ENROLLMENT_STATUSES = ['active', 'completed', 'converted', 'exited', 'failed'] as const satisfies readonly EnrollmentStatus[];

const Page = z.coerce.number().int().min(1).default(1);
const PageSize = z.coerce.number().int().min(1).max(100).default(25);

/** Query-string parameters of the journeys list (all optional). */
export const ListJourneysQuery = z.object({
	page: Page,
	pageSize: PageSize,
	sort: z.enum(JOURNEY_SORTS).default('updatedAt'),
	dir: z.enum(['asc', 'desc']).default('desc'),
	status: z.enum(JOURNEY_STATUSES).optional(),
	q: z.string().trim().max(200).optional(),
	/** Archived journeys are hidden unless asked for: `only` lists them alone, `include` with the others. */
	archived: z.enum(['exclude', 'only', 'include']).default('exclude')
});
export type ListJourneysQuery = z.infer<typeof ListJourneysQuery>;

export const ListEnrollmentsQuery = z.object({
	page: Page,
	pageSize: PageSize,
	status: z.enum(ENROLLMENT_STATUSES).optional()
});
export type ListEnrollmentsQuery = z.infer<typeof ListEnrollmentsQuery>;
