import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/*
 * The layering rules of eslint.config.js bite: each snippet is linted as if it lived at `filePath` (the file
 * need not exist), and only the import rule's verdict is read.
 */

const root = fileURLToPath(new URL('../..', import.meta.url));
let eslint: ESLint;

beforeAll(() => {
	eslint = new ESLint({ cwd: root, overrideConfigFile: 'eslint.config.js' });
});

async function restricted(filePath: string, code: string): Promise<string[]> {
	const [result] = await eslint.lintText(`${code}\nexport const used = x;\n`, { filePath });
	return result!.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layering', () => {
	it('core imports neither web/ nor SvelteKit nor workflows/', async () => {
		expect(await restricted('core/journeys/example.ts', "import x from '../../web/lib/server/context';")).toHaveLength(1);
		expect(await restricted('core/journeys/example.ts', "import x from '$lib/server/context';")).toHaveLength(1);
		expect(await restricted('core/http/example.ts', "import { json as x } from '@sveltejs/kit';")).toHaveLength(1);
		expect(await restricted('core/routing/example.ts', "import x from '../../workflows/journey';")).toHaveLength(1);
		expect(await restricted('core/routing/example.ts', "import x from '../../worker/activities';")).toHaveLength(1);
	});

	it('core imports its own folders and packages', async () => {
		expect(await restricted('core/journeys/example.ts', "import x from '../graph/validate';")).toEqual([]);
		expect(await restricted('core/journeys/example.ts', "import x from 'drizzle-orm';")).toEqual([]);
		expect(await restricted('core/channels/webhooks/example.ts', "import x from './sendgrid';")).toEqual([]);
	});

	it('workflows import no Node built-ins, no other package and no other core folder', async () => {
		const [message] = await restricted('workflows/nodes/example.ts', "import x from 'node:fs';");
		expect(message).toMatch(/deterministic sandbox/);
		expect(await restricted('workflows/example.ts', "import x from 'fs';")).toHaveLength(1);
		expect(await restricted('workflows/example.ts', "import x from 'crypto';")).toHaveLength(1);
		expect(await restricted('workflows/example.ts', "import x from 'drizzle-orm';")).toHaveLength(1);
		expect(await restricted('workflows/example.ts', "import x from '../core/db/client';")).toHaveLength(1);
		expect(await restricted('workflows/nodes/example.ts', "import x from '../../core/journeys/index';")).toHaveLength(1);
		expect(await restricted('workflows/example.ts', "import x from '../worker/activities';")).toHaveLength(1);
	});

	it('workflows import Temporal, zod, their own files, core/graph and core/enrollment', async () => {
		const code = [
			"import { proxyActivities as x } from '@temporalio/workflow';",
			"import { z as y } from 'zod';",
			"import z from '../../core/graph/nodes';",
			"import w from '../../core/enrollment/contract';",
			"import v from '../outcome';",
			"import u from './wait';"
		].join('\n');
		expect(await restricted('workflows/nodes/example.ts', code)).toEqual([]);
	});

	it('the worker and the scripts import no web/', async () => {
		expect(await restricted('worker/activities/example.ts', "import x from '../../web/lib/server/context';")).toHaveLength(1);
		expect(await restricted('worker/example.ts', "import x from '$lib/server/context';")).toHaveLength(1);
		expect(await restricted('scripts/example.ts', "import x from '../web/lib/server/context';")).toHaveLength(1);
		expect(await restricted('worker/example.ts', "import x from '../core/db/client';")).toEqual([]);
	});
});
