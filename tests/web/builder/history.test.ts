import { describe, expect, it } from 'vitest';
import { CommandStack } from '../../../web/lib/builder/command-stack';

type Doc = { n: number; text?: string };

function clock() {
	let t = 0;
	return { now: () => t, tick: (ms: number) => (t += ms) };
}

describe('the builder’s command stack', () => {
	it('undoes and redoes each command exactly', () => {
		const s = new CommandStack<Doc>({ n: 0 });
		s.apply({ n: 1 }, 'one');
		s.apply({ n: 2 }, 'two');
		expect(s.undoLabel).toBe('two');
		expect(s.undo()).toEqual({ n: 1 });
		expect(s.redoLabel).toBe('two');
		expect(s.undo()).toEqual({ n: 0 });
		expect(s.canUndo).toBe(false);
		expect(s.undo()).toBeUndefined();
		expect(s.redo()).toEqual({ n: 1 });
		expect(s.redo()).toEqual({ n: 2 });
		expect(s.redo()).toBeUndefined();
		expect(s.current).toEqual({ n: 2 });
	});

	it('keeps at least 100 steps', () => {
		const first = { n: 0 };
		const s = new CommandStack<Doc>(first);
		for (let i = 1; i <= 150; i++) s.apply({ n: i }, `step ${i}`);
		for (let i = 149; i >= 0; i--) expect(s.undo()?.n).toBe(i);
		expect(s.current).toBe(first);
	});

	it('drops the oldest steps past the limit', () => {
		const s = new CommandStack<Doc>({ n: 0 }, { limit: 3 });
		for (let i = 1; i <= 5; i++) s.apply({ n: i }, `${i}`);
		expect(s.size).toBe(3);
		s.undo();
		s.undo();
		expect(s.undo()).toEqual({ n: 2 });
		expect(s.canUndo).toBe(false);
	});

	it('forgets the redo branch when a new command follows an undo', () => {
		const s = new CommandStack<Doc>({ n: 0 });
		s.apply({ n: 1 }, 'one');
		s.undo();
		s.apply({ n: 5 }, 'five');
		expect(s.canRedo).toBe(false);
		expect(s.undo()).toEqual({ n: 0 });
	});

	it('merges rapid typing in one field into one step, and not across fields or pauses', () => {
		const c = clock();
		const s = new CommandStack<Doc>({ n: 0, text: '' }, { coalesceMs: 1000, now: c.now });
		for (const text of ['H', 'He', 'Hel', 'Hello']) {
			c.tick(200);
			s.apply({ n: 0, text }, 'Edit subject', 'node:email:subject');
		}
		expect(s.size).toBe(1);
		c.tick(200);
		s.apply({ n: 0, text: 'Hello!' }, 'Edit body', 'node:email:body');
		expect(s.size).toBe(2);
		c.tick(5000);
		s.apply({ n: 0, text: 'Hello!!' }, 'Edit body', 'node:email:body');
		expect(s.size).toBe(3);
		s.seal();
		c.tick(10);
		s.apply({ n: 0, text: 'Hello!!!' }, 'Edit body', 'node:email:body');
		expect(s.size).toBe(4);
		s.undo();
		s.undo();
		s.undo();
		expect(s.undo()).toEqual({ n: 0, text: '' });
	});

	it('records nothing for a no-op and starts over on reset', () => {
		const doc = { n: 0 };
		const s = new CommandStack<Doc>(doc);
		s.apply(doc, 'nothing');
		expect(s.canUndo).toBe(false);
		s.apply({ n: 1 }, 'one');
		s.reset({ n: 9 });
		expect(s.canUndo).toBe(false);
		expect(s.current).toEqual({ n: 9 });
	});
});
