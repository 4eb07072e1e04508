import { describe, expect, it } from 'vitest';
import { adToStoreJourney, type JourneyDefinition } from '../../../core/graph/index';
import { changedPaths, diffJourneys, isEmptyDiff, summarizeDiff } from '../../../core/graph/diff';

const copy = (): JourneyDefinition => structuredClone(adToStoreJourney);

describe('diffJourneys', () => {
	it('finds nothing between equal journeys', () => {
		const d = diffJourneys(adToStoreJourney, copy());
		expect(isEmptyDiff(d)).toBe(true);
		expect(summarizeDiff(d)).toBe('No changes');
	});

	it('lists added, removed and changed steps and connections with their changed fields', () => {
		const next = copy();
		next.nodes = next.nodes.filter((n) => n.id !== 'store');
		next.nodes.push({ id: 'webhook', type: 'webhook', url: 'https://example.test/hook' });
		const email = next.nodes.find((n) => n.id === 'email')!;
		if (email.type === 'sendEmail') email.subject = 'New subject';
		const wait = next.nodes.find((n) => n.id === 'wait-order')!;
		if (wait.type === 'waitForEvent') wait.timeout = { amount: 3, unit: 'days' };
		next.edges = next.edges.filter((e) => e.id !== 'e-sms-store' && e.id !== 'e-store-exit');
		next.edges.push({ id: 'e-sms-webhook', source: 'sms', target: 'webhook' });
		next.edges.find((e) => e.id === 'e-trigger-offer')!.target = 'wait-1d';
		next.settings.quietHours = { start: '22:00', end: '08:00' };

		const d = diffJourneys(adToStoreJourney, next);
		expect(d.nodes.added).toEqual(['webhook']);
		expect(d.nodes.removed).toEqual(['store']);
		expect(d.nodes.changed).toEqual([
			{ id: 'email', fields: ['subject'] },
			{ id: 'wait-order', fields: ['timeout.amount'] }
		]);
		expect(d.edges.added).toEqual(['e-sms-webhook']);
		expect(d.edges.removed.sort()).toEqual(['e-sms-store', 'e-store-exit']);
		expect(d.edges.changed).toEqual([{ id: 'e-trigger-offer', fields: ['target'] }]);
		expect(d.settings).toEqual(['quietHours.start']);
		expect(summarizeDiff(d)).toBe('Steps: 1 added, 1 removed, 2 changed · Connections: 1 added, 2 removed, 1 changed · Settings: 1 changed');
	});

	it('names fields by dotted path, arrays by index, and a resized array as a whole', () => {
		expect(changedPaths({ a: [{ b: 1 }, { b: 2 }] }, { a: [{ b: 1 }, { b: 3 }] })).toEqual(['a.1.b']);
		expect(changedPaths({ a: [1] }, { a: [1, 2] })).toEqual(['a']);
		expect(changedPaths({ x: 1 }, { y: 1 })).toEqual(['x', 'y']);
	});

	it('survives drafts that are not well formed', () => {
		const d = diffJourneys({ nodes: [{ id: 'a' }, 'junk'] }, { nodes: [{ id: 'a', label: 'A' }, { nope: 1 }] });
		expect(d.nodes.changed).toEqual([{ id: 'a', fields: ['label'] }]);
		expect(d.edges.added).toEqual([]);
	});
});
