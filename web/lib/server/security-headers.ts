/**
 * Headers every answer carries (pages, APIs, redirects, error pages), set in hooks.server.ts. Pages get their
 * Content-Security-Policy from SvelteKit (`kit.csp` in svelte.config.js: nonces for its inline hydration scripts);
 * anything without one (JSON, images, CSV, the static error page) gets a policy that loads nothing and may not be
 * framed, so a response opened directly in a browser can never run script.
 */
export const FALLBACK_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** One year, the usual preload-list minimum; only sent when the deployment says it is served over https. */
const HSTS = 'max-age=31536000; includeSubDomains';

export function securityHeaders(https: boolean): Record<string, string> {
	return {
		'x-content-type-options': 'nosniff',
		'referrer-policy': 'strict-origin-when-cross-origin',
		// frame-ancestors 'none' says the same to current browsers; this is for the ones that predate it.
		'x-frame-options': 'DENY',
		...(https ? { 'strict-transport-security': HSTS } : {})
	};
}

/** `response` with the security headers (and the fallback CSP when it has none); a copy if its headers are immutable. */
export function withSecurityHeaders(response: Response, https: boolean): Response {
	const set = (headers: Headers) => {
		for (const [name, value] of Object.entries(securityHeaders(https))) headers.set(name, value);
		if (!headers.has('content-security-policy')) headers.set('content-security-policy', FALLBACK_CSP);
	};
	try {
		set(response.headers);
		return response;
	} catch {
		// Responses passed through from fetch() have immutable headers.
		const headers = new Headers(response.headers);
		set(headers);
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
}
