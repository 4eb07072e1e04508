/*
 * The demo shop's service worker (scope /shop/): shows Omnicanal's web push notifications and opens their page
 * on click, reporting the click to Omnicanal. The payload is what core/channels/push/dispatch.ts sends:
 * { title, body, url, tag, messageId, click }.
 * A static file: no inline script, nothing evaluated, so it runs under the app's Content-Security-Policy.
 */
self.addEventListener('push', (event) => {
	let data;
	try {
		data = event.data ? event.data.json() : {};
	} catch {
		data = { title: 'Maison Omnicanal', body: event.data ? event.data.text() : '' };
	}
	const title = typeof data.title === 'string' && data.title ? data.title : 'Maison Omnicanal';
	event.waitUntil(
		self.registration.showNotification(title, {
			body: typeof data.body === 'string' ? data.body : '',
			tag: typeof data.tag === 'string' ? data.tag : undefined,
			icon: '/favicon.svg',
			data: { url: typeof data.url === 'string' ? data.url : '/shop', click: typeof data.click === 'string' ? data.click : null }
		})
	);
});

self.addEventListener('notificationclick', (event) => {
	event.notification.close();
	const target = new URL(event.notification.data && event.notification.data.url ? event.notification.data.url : '/shop', self.location.origin);
	// Only http(s) pages; focus a tab already showing it rather than opening another.
	if (target.protocol !== 'https:' && target.protocol !== 'http:') return;
	// The click counts as the message's engagement (a signed URL of ours); a failed report never blocks the page.
	const click = event.notification.data && event.notification.data.click;
	const reported = click ? fetch(click, { method: 'POST', keepalive: true }).catch(() => undefined) : Promise.resolve();
	event.waitUntil(
		Promise.all([
			reported,
			self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((tabs) => {
				const open = tabs.find((tab) => tab.url === target.href);
				return open ? open.focus() : self.clients.openWindow(target.href);
			})
		])
	);
});

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil(self.clients.claim()));
