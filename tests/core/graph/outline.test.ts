import { describe, expect, it } from 'vitest';
import { adToStoreJourney } from '../../../core/graph/examples';
import { blankDefinition } from '../../../core/journeys/index';
import { outlineOf } from '../../../core/graph/outline';
import { validateJourney } from '../../../core/graph/validate';

describe('draft outline', () => {
	it('reads the template in order, each step with a sentence and where its outputs lead', () => {
		const steps = outlineOf(adToStoreJourney);
		expect(steps.map((s) => s.id)).toEqual(['trigger', 'offer', 'wait-1d', 'email', 'wait-order', 'exit-converted', 'sms', 'store', 'exit']);
		expect(steps[0]).toMatchObject({ label: 'Clicked a retargeting ad', summary: 'Starts when the customer does “ad_clicked”.' });
		expect(steps[2]!.summary).toBe('Waits 1 day.');
		expect(steps.find((s) => s.id === 'wait-order')!.outputs).toEqual([
			{ branch: 'Event happened', targetId: 'exit-converted', targetLabel: 'Converted' },
			{ branch: 'Timed out', targetId: 'sms', targetLabel: 'Reminder' }
		]);
	});

	it('tolerates broken drafts: shows what it can and never throws', () => {
		expect(outlineOf('nonsense')).toEqual([]);
		expect(outlineOf({ nodes: 'x' })).toEqual([]);
		const steps = outlineOf({
			nodes: [{ id: 'a', type: 'trigger' }, { id: 'b', type: 'mystery', label: 'B' }, 7],
			edges: [{ source: 'a', target: 'b' }, { source: 'a' }]
		});
		expect(steps).toEqual([
			{ id: 'a', type: 'trigger', label: 'a', summary: '', outputs: [{ branch: 'Next', targetId: 'b', targetLabel: 'B' }] },
			{ id: 'b', type: 'mystery', label: 'B', summary: '', outputs: [] }
		]);
	});

	it('gives new journeys a draft that is valid as it is', () => {
		expect(validateJourney(blankDefinition()).ok).toBe(true);
		expect(outlineOf(blankDefinition()).map((s) => s.summary)).toEqual(['Starts when a customer is entered by hand or through the API.', 'Ends the journey.']);
	});
});
