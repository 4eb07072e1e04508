import type { JourneyDefinition } from '../definition';

/**
 * The smallest graph that passes validation (entered by hand or by the API, then straight out), so a marketer
 * starts from something publishable and builds between the two steps.
 */
export function blankJourney(): JourneyDefinition {
	return {
		schemaVersion: 1,
		nodes: [
			{ id: 'trigger', type: 'trigger', label: 'Entered by hand or API', entry: { kind: 'manual' } },
			{ id: 'exit', type: 'exit', label: 'End' }
		],
		edges: [{ id: 'e-trigger-exit', source: 'trigger', target: 'exit' }],
		settings: { reentry: { mode: 'never' }, exitCriteria: [] }
	};
}
