import { builtinModules } from 'node:module';
import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

// Lint = the house's layering (README, Layout) plus the recommended rules of ESLint, typescript-eslint (syntax
// only: type-aware linting is too slow for a 2-core CI) and eslint-plugin-svelte. The layering, as import rules:
//   web → core;  worker → core + workflows;  workflows → core/graph + core/enrollment only;  nothing imports web/.
// Patterns match the import as written (gitignore-style), so `**/web/**` catches `../../web/…` at any depth.

const webImports = ['**/web', '**/web/**', '$lib', '$lib/**', '$app/**', '@sveltejs/kit', '@sveltejs/kit/**'];
const webMessage = 'Only web/ imports web/ and SvelteKit: put shared code in core/.';

/** Temporal runs workflow code in a deterministic sandbox: no Node built-ins, no I/O, no other packages. */
const builtins = builtinModules.filter((m) => !m.startsWith('_'));
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const builtinNames = `node:.*|(${builtins.map(escape).join('|')})(/.*)?`;
const builtinRegex = `^(${builtinNames})$`;

const layering = {
	core: [
		{ group: webImports, message: webMessage },
		{
			group: ['**/workflows', '**/workflows/**', '**/worker', '**/worker/**', '**/scripts/**', '**/bench/**'],
			message: 'core/ is the bottom layer: it imports no workflows/, worker/, scripts or benchmarks.'
		}
	],
	workflows: [
		{ regex: builtinRegex, message: 'Workflows run in a deterministic sandbox: Node built-ins are not available there (do I/O in an activity).' },
		{
			regex: `^(?!(@temporalio/workflow|zod|${builtinNames})$)[^.]`,
			message: 'Workflows import only @temporalio/workflow, zod, their own files, core/graph and core/enrollment.'
		},
		{
			// (A regex, because gitignore patterns cannot re-include core/graph once core/ is excluded.)
			regex: '^\\.{1,2}/(.*/)?(core/(?!(graph|enrollment)(/|$))|(worker|web|scripts|bench)(/|$))',
			message: 'Workflows import only @temporalio/workflow, zod, their own files, core/graph and core/enrollment.'
		}
	],
	worker: [{ group: webImports, message: webMessage }],
	scripts: [{ group: webImports, message: webMessage }]
};

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default ts.config(
	{ ignores: ['build/', '.svelte-kit/', '.data/', 'node_modules/', 'test-results/', 'core/db/migrations/', 'tests/contracts/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.node, ...globals.browser } },
		rules: {
			// `_`-prefixed names are deliberately unused (destructuring a field away, a required parameter).
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
			// TypeScript itself reports undefined names, with types and globals ESLint does not know.
			'no-undef': 'off',
			// The app is served at the root, so resolve() would add nothing to our links but noise.
			'svelte/no-navigation-without-resolve': 'off',
			// Flags every URLSearchParams/Map in a component, also the local, non-reactive ones helpers build.
			'svelte/prefer-svelte-reactivity': 'off',
			// Our control characters in patterns are deliberate (stripping NUL and header-breaking bytes from input).
			'no-control-regex': 'off'
		}
	},
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: { parserOptions: { projectService: false, extraFileExtensions: ['.svelte'], parser: ts.parser, svelteConfig } }
	},
	{ files: ['core/**'], rules: restrict(layering.core) },
	{ files: ['workflows/**'], rules: restrict(layering.workflows) },
	{ files: ['worker/**'], rules: restrict(layering.worker) },
	// Tests and benchmarks measure any layer (web/ included); scripts run the product, so they go through core/.
	{ files: ['scripts/**'], rules: restrict(layering.scripts) }
);
