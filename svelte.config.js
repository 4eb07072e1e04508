import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** SvelteKit's files live under web/ (see DESIGN.md: the house). */
/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		files: {
			assets: 'web/static',
			hooks: { client: 'web/hooks.client', server: 'web/hooks.server', universal: 'web/hooks' },
			lib: 'web/lib',
			params: 'web/params',
			routes: 'web/routes',
			serviceWorker: 'web/service-worker',
			appTemplate: 'web/app.html',
			errorTemplate: 'web/error.html'
		},
		// Type-check the whole house, not only SvelteKit's folders.
		typescript: {
			config: (tsconfig) => {
				tsconfig.include.push(
					'../web/*.ts',
					'../core/**/*.ts',
					'../workflows/**/*.ts',
					'../worker/**/*.ts',
					'../scripts/**/*.ts',
					'../tests/**/*.ts',
					'../bench/**/*.ts',
					'../*.config.ts'
				);
			}
		},
		// Cross-site form posts are checked in hooks.server.ts instead, which exempts the callers that legitimately
		// post forms without our Origin: provider webhooks (Twilio), one-click unsubscribe, and tracking libraries.
		csrf: { trustedOrigins: ['*'] },
		alias: {
			$core: 'core'
		}
	}
};

export default config;
