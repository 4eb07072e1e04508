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
		// Content-Security-Policy of every page (README, Security). SvelteKit adds a nonce to script-src for its inline
		// hydration script, so no inline script of anyone else's runs and nothing may eval. Styles keep 'unsafe-inline':
		// pages render style attributes (Svelte's style:, the canvas's node positions and sizes from @xyflow/svelte,
		// LayerChart's SVG, the shop's product tints) whose values are computed, so no hash can list them; a nonce would
		// make browsers ignore 'unsafe-inline'. Inline styles cannot run script. E-mail previews are srcdoc iframes with
		// an empty sandbox, which inherit this policy too. Images: ours (QR codes) and data: URLs.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self', 'data:'],
				'connect-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		alias: {
			$core: 'core'
		}
	}
};

export default config;
