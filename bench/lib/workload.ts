/**
 * A deterministic stream of Segment messages from a shop's website: people browse on one or two devices
 * (an `anonymousId` each), some sign in (`userId`) or leave their e-mail, and every call carries the context
 * analytics.js sends. Same seed, same stream, so every case of a run ingests the same rows.
 */

/** Small fast PRNG (mulberry32): reproducible streams without a dependency. */
export function prng(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

type Rand = () => number;
const pick = <T>(rand: Rand, list: readonly T[]): T => list[Math.floor(rand() * list.length)]!;
const hex = (rand: Rand, n: number): string => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
const uuid = (rand: Rand): string => `${hex(rand, 8)}-${hex(rand, 4)}-4${hex(rand, 3)}-a${hex(rand, 3)}-${hex(rand, 12)}`;

export type Person = {
	/** The profile id the raw-INSERT baseline files this person's events under (ingest makes its own). */
	customerId: string;
	userId?: string;
	email: string;
	firstName: string;
	lastName: string;
	/** One anonymousId per device. */
	devices: string[];
	timezone: string;
	locale: string;
};

/** A Segment message as a client sends it (JSON), plus who sent it. */
export type WorkloadMessage = { person: number; body: Record<string, unknown> };

export type WorkloadOptions = {
	customers: number;
	/** Share of messages that are `identify` calls (the rest are `track`). */
	identifyShare: number;
	/** Share of people who browse on a second device (their two profiles merge once both devices identify). */
	secondDeviceShare: number;
	/** Share of people with an account (`userId`); the others identify by e-mail only (newsletter sign-up). */
	accountShare: number;
	seed: number;
};

export const defaultWorkload: WorkloadOptions = { customers: 2_000, identifyShare: 0.1, secondDeviceShare: 0.2, accountShare: 0.6, seed: 20_240_501 };

const FIRST = ['Ana', 'Bruno', 'Chloé', 'Dev', 'Emma', 'Farid', 'Grace', 'Hugo', 'Inès', 'João', 'Kim', 'Lena', 'Marc', 'Nora', 'Omar', 'Paula'];
const LAST = ['Martin', 'Silva', 'Dubois', 'Patel', 'Garcia', 'Nguyen', 'Rossi', 'Müller', 'Kowalski', 'Haddad', 'Smith', 'Lefèvre'];
const ZONES: ReadonlyArray<[string, string]> = [
	['Europe/Paris', 'fr-FR'],
	['Europe/Lisbon', 'pt-PT'],
	['America/New_York', 'en-US'],
	['America/Los_Angeles', 'en-US'],
	['Europe/Berlin', 'de-DE'],
	['Europe/London', 'en-GB']
];
const AGENTS = [
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
	'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
	'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
];
const CATEGORIES = ['shoes', 'jackets', 'bags', 'accessories', 'shirts'];
const BRANDS = ['Norte', 'Atlântico', 'Fjord', 'Sable', 'Mistral'];
const CAMPAIGNS = ['summer_sale', 'newsletter_w23', 'retargeting', 'brand'];

type TrackKind = { event: string; weight: number };
const TRACKS: TrackKind[] = [
	{ event: 'Product Viewed', weight: 45 },
	{ event: 'Product List Viewed', weight: 15 },
	{ event: 'Product Added', weight: 15 },
	{ event: 'Cart Viewed', weight: 10 },
	{ event: 'Checkout Started', weight: 8 },
	{ event: 'Order Completed', weight: 7 }
];
const TRACK_TOTAL = TRACKS.reduce((s, t) => s + t.weight, 0);

function trackEvent(rand: Rand): string {
	let r = rand() * TRACK_TOTAL;
	for (const t of TRACKS) if ((r -= t.weight) < 0) return t.event;
	return TRACKS[0]!.event;
}

/** About ten properties, as a shop's e-commerce spec sends them. */
function properties(rand: Rand, event: string): Record<string, unknown> {
	const price = Math.round((10 + rand() * 190) * 100) / 100;
	const quantity = 1 + Math.floor(rand() * 3);
	const sku = `SKU-${1000 + Math.floor(rand() * 400)}`;
	const category = pick(rand, CATEGORIES);
	const product = { product_id: sku.toLowerCase(), sku, category, name: `${pick(rand, BRANDS)} ${category} ${sku.slice(4)}`, brand: pick(rand, BRANDS) };
	switch (event) {
		case 'Order Completed': {
			const total = Math.round(price * quantity * 100) / 100;
			return {
				order_id: `o-${hex(rand, 10)}`,
				checkout_id: `c-${hex(rand, 10)}`,
				total,
				revenue: Math.round((total / 1.2) * 100) / 100,
				tax: Math.round((total - total / 1.2) * 100) / 100,
				shipping: 4.9,
				discount: 0,
				coupon: rand() < 0.2 ? 'WELCOME10' : null,
				currency: 'EUR',
				products: [{ ...product, price, quantity }]
			};
		}
		case 'Product List Viewed':
			return {
				list_id: `${category}-list`,
				category,
				sorting: 'popularity',
				page: 1 + Math.floor(rand() * 3),
				filters: [{ type: 'size', value: 'M' }],
				products: [product],
				currency: 'EUR',
				results: 48,
				view: 'grid',
				source: 'web'
			};
		case 'Cart Viewed':
		case 'Checkout Started':
			return {
				cart_id: `cart-${hex(rand, 8)}`,
				value: price * quantity,
				currency: 'EUR',
				products: [{ ...product, price, quantity }],
				coupon: null,
				items: quantity,
				shipping_method: 'standard',
				step: 1,
				source: 'web',
				revenue: price * quantity
			};
		default:
			return {
				...product,
				variant: pick(rand, ['black', 'navy', 'sand']),
				price,
				quantity,
				currency: 'EUR',
				position: 1 + Math.floor(rand() * 24),
				url: `https://shop.example/p/${sku.toLowerCase()}`
			};
	}
}

function context(rand: Rand, p: Person, device: number, event: string): Record<string, unknown> {
	const path = event === 'Order Completed' ? '/checkout/thanks' : `/p/sku-${1000 + Math.floor(rand() * 400)}`;
	const campaign = rand() < 0.15 ? pick(rand, CAMPAIGNS) : undefined;
	const search = campaign ? `?utm_source=newsletter&utm_campaign=${campaign}` : '';
	return {
		ip: `203.0.113.${1 + Math.floor(rand() * 250)}`,
		userAgent: AGENTS[device % AGENTS.length],
		locale: p.locale,
		timezone: p.timezone,
		library: { name: 'analytics.js', version: 'next-1.70.0' },
		page: { path, url: `https://shop.example${path}${search}`, search, title: 'Shop', referrer: rand() < 0.3 ? 'https://www.google.com/' : '' },
		...(campaign ? { campaign: { name: campaign, source: 'newsletter', medium: 'email' } } : {})
	};
}

export function makePeople(o: WorkloadOptions): Person[] {
	const rand = prng(o.seed);
	return Array.from({ length: o.customers }, (_, i) => {
		const [timezone, locale] = pick(rand, ZONES);
		const firstName = pick(rand, FIRST);
		const lastName = pick(rand, LAST);
		return {
			customerId: uuid(rand),
			userId: rand() < o.accountShare ? `u_${100_000 + i}` : undefined,
			email: `${firstName}.${lastName}.${i}@mail.example`.toLowerCase(),
			firstName,
			lastName,
			devices: rand() < o.secondDeviceShare ? [uuid(rand), uuid(rand)] : [uuid(rand)],
			timezone,
			locale
		};
	});
}

/**
 * `count` messages, oldest first, ending about now. A device that identified with a userId sends it on every
 * later call (as analytics.js does). People are picked with a mild skew: some shop far more than others.
 */
export function makeStream(o: WorkloadOptions, people: readonly Person[], count: number, now = Date.now()): WorkloadMessage[] {
	const rand = prng(o.seed ^ 0x5bd1e995);
	const signedIn = new Set<string>();
	const out: WorkloadMessage[] = [];
	for (let i = 0; i < count; i++) {
		const person = Math.floor(Math.pow(rand(), 1.3) * people.length);
		const p = people[person]!;
		const device = Math.floor(rand() * p.devices.length);
		const anonymousId = p.devices[device]!;
		const timestamp = new Date(now - (count - i) * 40);
		const common = {
			messageId: `ajs-next-${uuid(rand)}`,
			anonymousId,
			timestamp: timestamp.toISOString(),
			sentAt: new Date(timestamp.getTime() + 150).toISOString()
		};
		if (rand() < o.identifyShare) {
			if (p.userId) signedIn.add(anonymousId);
			out.push({
				person,
				body: {
					...common,
					type: 'identify',
					...(p.userId ? { userId: p.userId } : {}),
					traits: {
						email: p.email,
						firstName: p.firstName,
						lastName: p.lastName,
						plan: p.userId ? 'member' : 'newsletter',
						createdAt: new Date(now - 86_400_000 * (1 + (person % 400))).toISOString(),
						address: { city: 'Lisboa', country: 'PT' },
						consent: { email: true }
					},
					context: context(rand, p, device, 'identify')
				}
			});
			continue;
		}
		const event = trackEvent(rand);
		out.push({
			person,
			body: {
				...common,
				type: 'track',
				...(p.userId && signedIn.has(anonymousId) ? { userId: p.userId } : {}),
				event,
				properties: properties(rand, event),
				context: context(rand, p, device, event)
			}
		});
	}
	return out;
}
