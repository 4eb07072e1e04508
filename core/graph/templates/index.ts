import type { JourneyDefinition } from '../definition';
import { abandonedCartJourney } from './abandoned-cart';
import { adToStoreJourney } from './ad-to-store';
import { backInStockJourney } from './back-in-stock';
import { blankJourney } from './blank';
import { clickAndCollectJourney } from './click-and-collect';
import { preorderReleaseJourney } from './preorder-release';
import { welcomeSeriesJourney } from './welcome-series';
import { winBackJourney } from './win-back';

/**
 * Journeys a marketer starts from: each valid and publishable as is (tests/core/graph/templates.test.ts), with
 * a goal, and without layout (the canvas lays out nodes that have no position).
 */

export const TEMPLATE_IDS = ['blank', 'adToStore', 'abandonedCart', 'welcomeSeries', 'clickAndCollect', 'preorderRelease', 'backInStock', 'winBack'] as const;
export type TemplateId = (typeof TEMPLATE_IDS)[number];

/** Where a journey reaches the customer; the gallery shows one icon each. */
export type TemplateChannel = 'ads' | 'email' | 'sms' | 'store';

export interface TemplateInfo {
	id: TemplateId;
	name: string;
	/** One or two sentences for the gallery. */
	description: string;
	channels: readonly TemplateChannel[];
	/** A fresh copy every call: drafts are edited, templates are shared. */
	build(): JourneyDefinition;
}

/** In gallery order, one per id of `TEMPLATE_IDS` (the test holds them in step). */
export const TEMPLATES: readonly TemplateInfo[] = [
	{
		id: 'blank',
		name: 'Blank journey',
		description: 'Customers entered by hand or through the API, then the end. Build everything in between.',
		channels: [],
		build: blankJourney
	},
	{
		id: 'adToStore',
		name: 'Retargeting ad → offer → email → SMS → store',
		description: 'An ad click grants 15% off; a day later an email quotes the code, then an SMS, and the store welcomes them with the same offer.',
		channels: ['ads', 'email', 'sms', 'store'],
		build: () => structuredClone(adToStoreJourney)
	},
	{
		id: 'abandonedCart',
		name: 'Abandoned cart',
		description: 'A cart left for an hour gets an email listing its items, then an SMS, then 10% off to finish the order.',
		channels: ['email', 'sms'],
		build: abandonedCartJourney
	},
	{
		id: 'welcomeSeries',
		name: 'Welcome series',
		description: 'Two welcome emails after sign-up, then a first-order offer by email to those who opened them, by SMS to the rest.',
		channels: ['email', 'sms'],
		build: welcomeSeriesJourney
	},
	{
		id: 'clickAndCollect',
		name: 'Buy online, pick up in store',
		description: 'An SMS when the order is ready, a reminder after two days, and a call from the store if it is still there.',
		channels: ['sms', 'store'],
		build: clickAndCollectJourney
	},
	{
		id: 'preorderRelease',
		name: 'Pre-order delivered at release',
		description:
			'Confirms the pre-order, waits until its release date (from the order event), then says “it’s out today” by email and SMS at 09:00 the customer’s time.',
		channels: ['email', 'sms'],
		build: preorderReleaseJourney
	},
	{
		id: 'backInStock',
		name: 'Back in stock',
		description: 'When an item someone viewed or wished for is back on a shelf: an email, a hold at their own store if it is there, else where to collect it.',
		channels: ['email', 'store'],
		build: backInStockJourney
	},
	{
		id: 'winBack',
		name: 'Win-back with a holdout',
		description: 'Lapsed customers get 20% off by email or by SMS (an A/B test), while a 10% holdout hears nothing to measure the uplift.',
		channels: ['email', 'sms'],
		build: winBackJourney
	}
];

const byId = new Map<string, TemplateInfo>(TEMPLATES.map((t) => [t.id, t]));

/** The template with this id, or undefined for an id from outside (a query string, an old client). */
export function templateById(id: string): TemplateInfo | undefined {
	return byId.get(id);
}

export { abandonedCartJourney, adToStoreJourney, blankJourney, clickAndCollectJourney, preorderReleaseJourney, welcomeSeriesJourney, winBackJourney };
