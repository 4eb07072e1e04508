import { Liquid, Tag, type TagToken, type TopLevelToken } from 'liquidjs';
import { PermanentChannelError } from './errors';

/**
 * Liquid, as marketers know it from Shopify and Braze. Three engines: HTML output escapes every variable
 * (a customer named `<script>` stays text; `| raw` opts out), text and SMS output does not, and JSON output
 * (webhook bodies) escapes every variable as a JSON string's content so a trait cannot break out of its quotes.
 *
 * Templates are written by marketers, not by admins, so they must not reach the server: the file-system
 * tags (`include`, `render`, `layout`) are refused when parsed and lookups go to an empty in-memory map,
 * never to the working directory (liquidjs's default root). Limits stop a runaway template (a huge loop,
 * a string doubled in a loop) from tying up the worker.
 */
const MAX_OUTPUT_CHARS = 1_000_000;
const limits = {
	strictFilters: true,
	ownPropertyOnly: true,
	cache: 500,
	parseLimit: 200_000,
	/** ms per render */
	renderLimit: 1000,
	/** characters allocated by filters, joins and concatenations */
	memoryLimit: 10_000_000,
	/** an empty in-memory "file system": nothing to include even if a tag slipped through */
	templates: {},
	relativeReference: false,
	dynamicPartials: false
};

class RefusedTag extends Tag {
	constructor(token: TagToken, remainTokens: TopLevelToken[], liquid: Liquid) {
		super(token, remainTokens, liquid);
		throw new Error(`the "${token.name}" tag is not available: templates cannot read files`);
	}
	*render(): Generator<unknown, void, unknown> {}
}

function engine(options: ConstructorParameters<typeof Liquid>[0] = {}): Liquid {
	const liquid = new Liquid({ ...limits, ...options });
	for (const name of ['include', 'render', 'layout']) liquid.registerTag(name, RefusedTag);
	return liquid;
}

/** The characters of a JSON string literal, without its quotes: `a"b` → `a\"b`. */
export function jsonEscape(value: unknown): string {
	const text =
		typeof value === 'string' ? value : value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
	return JSON.stringify(text).slice(1, -1);
}

const htmlEngine = engine({ outputEscape: 'escape' });
const textEngine = engine();
const jsonEngine = engine({ outputEscape: jsonEscape });
// `{{ event | json }}` writes JSON on purpose: do not escape it a second time.
jsonEngine.registerFilter('json', { handler: (value: unknown, space?: number) => JSON.stringify(value ?? null, null, space), raw: true });

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

/** `html` for e-mail bodies, `text` for subjects, text parts and SMS, `json` for webhook bodies. */
export type TemplateMode = 'html' | 'text' | 'json';

const engines: Record<TemplateMode, Liquid> = { html: htmlEngine, text: textEngine, json: jsonEngine };

export async function renderTemplate(source: string, context: TemplateContext, mode: TemplateMode): Promise<string> {
	let output: string;
	try {
		output = await engines[mode].parseAndRender(source, context);
	} catch (err) {
		throw templateError(err instanceof Error ? err.message : String(err));
	}
	if (output.length > MAX_OUTPUT_CHARS) throw templateError(`output is ${output.length} characters, more than the ${MAX_OUTPUT_CHARS} allowed`);
	return output;
}

function templateError(message: string): PermanentChannelError {
	return new PermanentChannelError(`template error: ${message}`, { provider: 'template', code: 'template_error' });
}
