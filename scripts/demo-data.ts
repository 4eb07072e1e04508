import { eq } from 'drizzle-orm';
import { createStoreTask } from '../core/channels/store-tasks';
import { seedDemoCatalogue } from '../core/commerce/seed';
import type { Db } from '../core/db/client';
import { journeys } from '../core/db/schema/journeys';
import { ingestMessages } from '../core/ingest/ingest';
import { createJourney, publish } from '../core/journeys/index';

/*
 * The demo story for `npm start`, "one promotion, every channel": the ad → e-mail → SMS → store journey is live,
 * a few customers are known on several channels, and Chloé has just clicked the retargeting ad. Her click is
 * stored like any ingested event; the routing sweep beside the worker enrols her once Temporal is up, and the
 * journey's first step grants her offer — so the shop's cart and the store page show it within seconds.
 * Every write is idempotent (fixed messageIds, task keys, the journey's name): restarts change nothing.
 */

export const DEMO_JOURNEY_NAME = 'Retargeting ad → e-mail → SMS → store';

/** The ad click happened on Chloé's phone; the ad link carries that anonymous id to whatever device opens it. */
const CHLOE_PHONE_ID = 'demo-chloe-phone';
const CHLOE_FBCLID = 'demo-fbclid-chloe';
const CAMPAIGN = { source: 'facebook', medium: 'paid_social', name: 'spring-retargeting' };

/** The link the retargeting ad sends Chloé to, relative to the web app's URL. */
export const DEMO_LANDING_PATH = `/shop?oc_cid=${CHLOE_PHONE_ID}&fbclid=${CHLOE_FBCLID}&utm_source=${CAMPAIGN.source}&utm_medium=${CAMPAIGN.medium}&utm_campaign=${CAMPAIGN.name}`;

async function seedJourney(db: Db): Promise<void> {
	const [existing] = await db.select({ id: journeys.id }).from(journeys).where(eq(journeys.name, DEMO_JOURNEY_NAME));
	// Present means the user has it (maybe paused or edited on purpose): leave it as it is.
	if (existing) return;
	const { journey } = await createJourney(db, {
		name: DEMO_JOURNEY_NAME,
		template: 'adToStore',
		description: 'A customer who clicks the retargeting ad gets 15% off; the e-mail, the SMS, the web cart and the store all use the same code.'
	});
	await publish(db, journey.id, { publishedBy: 'demo seed' });
}

const daysAgo = (n: number) => new Date(Date.now() - n * 86_400_000).toISOString();

/** Known customers with identities on several channels (e-mail, phone, loyalty card), consent, a usual store. */
function customerMessages(): unknown[] {
	return [
		{
			type: 'identify',
			messageId: 'demo:chloe:identify',
			anonymousId: CHLOE_PHONE_ID,
			timestamp: daysAgo(40),
			traits: {
				name: 'Chloé Dubois',
				firstName: 'Chloé',
				email: 'chloe.dubois@example.com',
				phone: '+33 6 12 34 56 78',
				loyaltyId: 'LUM-100234',
				preferred_store: 'paris-01',
				timezone: 'Europe/Paris',
				consent: { email: true, sms: true }
			}
		},
		{
			type: 'track',
			messageId: 'demo:chloe:viewed',
			anonymousId: CHLOE_PHONE_ID,
			timestamp: daysAgo(3),
			event: 'product_viewed',
			properties: { product_id: 'linen-shirt', name: 'Linen shirt', price: 59, currency: 'EUR' }
		},
		{
			type: 'identify',
			messageId: 'demo:marc:identify',
			userId: 'demo-marc',
			timestamp: daysAgo(120),
			traits: {
				name: 'Marc Lefèvre',
				firstName: 'Marc',
				email: 'marc.lefevre@example.com',
				phone: '+33 6 98 76 54 32',
				loyaltyId: 'LUM-100871',
				preferred_store: 'paris-01',
				timezone: 'Europe/Paris',
				consent: { email: true, sms: false }
			}
		},
		{
			type: 'track',
			messageId: 'demo:marc:order',
			userId: 'demo-marc',
			timestamp: daysAgo(14),
			event: 'order_completed',
			properties: { order_id: 'demo-1042', total: 89, currency: 'EUR', products: [{ product_id: 'denim-jacket', quantity: 1, price: 89 }] }
		},
		{
			type: 'identify',
			messageId: 'demo:amina:identify',
			userId: 'demo-amina',
			timestamp: daysAgo(60),
			traits: {
				name: 'Amina Benali',
				firstName: 'Amina',
				email: 'amina.benali@example.com',
				phone: '+32 470 12 34 56',
				loyaltyId: 'LUM-200310',
				preferred_store: 'brussels-01',
				timezone: 'Europe/Brussels',
				consent: { email: true, sms: true }
			}
		}
	];
}

/** Chloé clicks the retargeting ad: the journey's trigger. Stored now, routed by the sweep once Temporal runs. */
function adClick(): unknown {
	return {
		type: 'track',
		messageId: 'demo:chloe:ad_clicked',
		anonymousId: CHLOE_PHONE_ID,
		event: 'ad_clicked',
		properties: { campaign: CAMPAIGN.name, ad: 'Linen shirt carousel', platform: 'meta' },
		context: { campaign: { ...CAMPAIGN, fbclid: CHLOE_FBCLID }, page: { url: `https://shop.example${DEMO_LANDING_PATH}` } }
	};
}

export async function seedDemo(db: Db): Promise<{ landingPath: string }> {
	await seedDemoCatalogue(db);
	await seedJourney(db);
	const { accepted } = await ingestMessages(db, [...customerMessages(), adClick()]);
	const marc = accepted.find((a) => a.messageId === 'demo:marc:identify')!.customerId;
	await createStoreTask(db, {
		taskKey: 'demo:marc:hold-jacket',
		customerId: marc,
		storeId: 'paris-01',
		title: 'Hold a denim jacket in M for Marc',
		instructions: 'Marc asked online to try the jacket in size M on Saturday. Keep one aside and text him when it is ready.'
	});
	return { landingPath: DEMO_LANDING_PATH };
}
