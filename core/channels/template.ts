import { Liquid } from 'liquidjs';
import { PermanentChannelError } from './errors';

/**
 * Liquid, as marketers know it from Shopify and Braze. Two engines: HTML output escapes every variable
 * (a customer named `<script>` stays text; `| raw` opts out), text and SMS output does not. Limits stop a
 * runaway template (a huge loop) from tying up the worker.
 */
const limits = { strictFilters: true, ownPropertyOnly: true, cache: 500, parseLimit: 1e6, renderLimit: 2000, memoryLimit: 1e8 };
const htmlEngine = new Liquid({ ...limits, outputEscape: 'escape' });
const textEngine = new Liquid(limits);

export type TemplateOffer = {
	code: string;
	title: string;
	kind: 'percent' | 'amount';
	value: number;
	currency: string | null;
	/** "20%" or "10.00 EUR". */
	display: string;
	expiresAt: string;
	/** A QR code of the code for the store's scanner (PNG: mail clients block SVG images). */
	qrUrl: string;
};

/** What `{{ … }}` can see in every message: `customer.<trait>`, `event.<property>`, `offer.code`, `links.unsubscribe`. */
export type TemplateContext = {
	customer: Record<string, unknown> & { id: string };
	event: Record<string, unknown>;
	offer: TemplateOffer | null;
	links: { unsubscribe: string };
};

export async function renderTemplate(source: string, context: TemplateContext, mode: 'html' | 'text'): Promise<string> {
	const engine = mode === 'html' ? htmlEngine : textEngine;
	try {
		return await engine.parseAndRender(source, context);
	} catch (err) {
		throw new PermanentChannelError(`template error: ${err instanceof Error ? err.message : String(err)}`, { provider: 'template', code: 'template_error' });
	}
}
