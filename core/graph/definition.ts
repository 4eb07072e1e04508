import { z } from 'zod';
import { Id, JourneyNode } from './nodes';
import { JourneySettings } from './settings';

/**
 * A connection. `sourceHandle` names the branch it leaves by (`event`/`timeout`, a condition
 * branch id or `else`, a split variant id); it is omitted for single-output nodes.
 */
export const JourneyEdge = z.object({ id: Id, source: Id, target: Id, sourceHandle: Id.optional() });
export type JourneyEdge = z.infer<typeof JourneyEdge>;

/** The stored and API format of one journey version (JSON). */
export const JourneyDefinition = z.object({
	schemaVersion: z.literal(1),
	nodes: z.array(JourneyNode),
	edges: z.array(JourneyEdge),
	settings: JourneySettings
});
export type JourneyDefinition = z.infer<typeof JourneyDefinition>;
