import { branchesOf, type Branch } from './graph';
import { describeNode, formatDuration } from './describe';
import { describeSchedule } from './schedule';
import type { JourneyNode, NodeOfType, NodeType } from './nodes';

/**
 * The node-kind registry: everything the product says about a kind of step, in one place, read by validation
 * messages, the journeys pages, the builder's palette and node components, and the analytics canvas. Pure, so the
 * browser and the workflow sandbox can load it. `tests/core/graph/kinds.test.ts` fails if a kind lacks an entry.
 */

/** Palette groups, in the order the palette shows them. */
export const NODE_CATEGORIES = ['trigger', 'flow', 'message', 'action', 'exit'] as const;
export type NodeCategory = (typeof NODE_CATEGORIES)[number];

export const CATEGORY_NAMES: Record<NodeCategory, string> = {
	trigger: 'Entry',
	flow: 'Flow',
	message: 'Messages',
	action: 'Actions',
	exit: 'Exit'
};

/** Icon names (Lucide's); the UI maps each to its SVG. */
export type NodeIcon =
	| 'zap'
	| 'clock'
	| 'hourglass'
	| 'git-branch'
	| 'split'
	| 'mail'
	| 'message-square'
	| 'message-circle'
	| 'bell'
	| 'megaphone'
	| 'ticket'
	| 'store'
	| 'webhook'
	| 'user-pen'
	| 'flag';

/** What a new node of a kind starts with: everything but its id, label and layout. */
export type NodeDefaults<T extends NodeType> = Omit<NodeOfType<T>, 'id' | 'label'>;

export interface NodeKind<T extends NodeType = NodeType> {
	type: T;
	/** As a marketer calls it ("Wait for event"). */
	name: string;
	/** As a sentence names it ("The wait-for-event step “Cart bought”"). */
	noun: string;
	icon: NodeIcon;
	category: NodeCategory;
	/** One sentence for the palette's help text. */
	help: string;
	/** A fresh node's settings. Deliberately incomplete where only the marketer can know (an SMS text): validation points at them. */
	defaults(): NodeDefaults<T>;
	/** A few words for the node's face on the canvas ("1 day", "“order_completed” within 2 days"). */
	summary(node: NodeOfType<T>): string;
}

function clip(text: string | undefined, max = 48): string {
	const t = (text ?? '').replace(/\s+/g, ' ').trim();
	return t.length > max ? `${t.slice(0, max - 1)}…` : t;
}

const quoted = (s: string | undefined) => (s && s.trim() ? `“${clip(s, 40)}”` : '');

type Registry = { [T in NodeType]: NodeKind<T> };

export const NODE_KINDS: Registry = {
	trigger: {
		type: 'trigger',
		noun: 'trigger',
		name: 'Trigger',
		icon: 'zap',
		category: 'trigger',
		help: 'How customers enter: an event they do, a segment they join or leave, a schedule, or by hand.',
		defaults: () => ({ type: 'trigger', entry: { kind: 'event', event: '' } }),
		summary: (n) =>
			n.entry.kind === 'event'
				? quoted(n.entry.event) || 'Choose an event'
				: n.entry.kind === 'segment'
					? `${n.entry.on === 'leave' ? 'Leaves' : 'Joins'} segment ${quoted(n.entry.segmentId)}`
					: n.entry.kind === 'schedule'
						? describeSchedule(n.entry)
						: 'By hand or API'
	},
	wait: {
		type: 'wait',
		noun: 'wait step',
		name: 'Wait',
		icon: 'clock',
		category: 'flow',
		help: 'Pause for a time, until a date, or until a time of day in the customer’s zone.',
		defaults: () => ({ type: 'wait', mode: 'duration', duration: { amount: 1, unit: 'days' } }),
		summary: (n) =>
			n.mode === 'duration'
				? formatDuration(n.duration)
				: n.mode === 'until'
					? `Until ${n.until}`
					: n.mode === 'date'
						? `Until ${n.date.source === 'trait' ? 'trait' : 'event'} ${n.date.path}${n.offsetDays ? ` ${n.offsetDays > 0 ? '+' : '−'}${Math.abs(n.offsetDays)}d` : ''}, ${n.time} local`
						: `Until ${n.time} local`
	},
	waitForEvent: {
		type: 'waitForEvent',
		noun: 'wait-for-event step',
		name: 'Wait for event',
		icon: 'hourglass',
		category: 'flow',
		help: 'Wait until the customer does something, or give up after a while.',
		defaults: () => ({ type: 'waitForEvent', event: '', timeout: { amount: 1, unit: 'days' } }),
		summary: (n) => `${quoted(n.event) || 'An event'} within ${formatDuration(n.timeout)}`
	},
	condition: {
		type: 'condition',
		noun: 'condition',
		name: 'Condition',
		icon: 'git-branch',
		category: 'flow',
		help: 'Send customers down different paths by profile, event, consent, offer or message engagement.',
		defaults: () => ({
			type: 'condition',
			branches: [{ id: 'yes', label: 'Yes', match: 'all', conditions: [{ kind: 'trait', path: '', op: 'exists' }] }],
			elseLabel: 'No'
		}),
		summary: (n) => (n.branches.length === 1 ? '1 rule, then everyone else' : `${n.branches.length} rules, in order`)
	},
	randomSplit: {
		type: 'randomSplit',
		noun: 'A/B split',
		name: 'A/B split',
		icon: 'split',
		category: 'flow',
		help: 'Split customers at random between variants, with an optional holdout that receives nothing.',
		defaults: () => ({
			type: 'randomSplit',
			variants: [
				{ id: 'a', label: 'A', weight: 50 },
				{ id: 'b', label: 'B', weight: 50 }
			]
		}),
		summary: (n) => {
			const total = n.variants.reduce((s, v) => s + v.weight, 0) || 1;
			const share = (100 - (n.holdoutPercent ?? 0)) / 100;
			const parts = n.variants.map((v) => `${v.label} ${Math.round((v.weight / total) * share * 100)}%`);
			return [...parts, ...(n.holdoutPercent ? [`holdout ${n.holdoutPercent}%`] : [])].join(' · ');
		}
	},
	sendEmail: {
		type: 'sendEmail',
		noun: 'email step',
		name: 'Email',
		icon: 'mail',
		category: 'message',
		help: 'Send an email (Liquid template) through SendGrid, or to the outbox without credentials.',
		defaults: () => ({ type: 'sendEmail', subject: '', html: '', text: '' }),
		summary: (n) => (n.templateId ? `Template ${quoted(n.templateId)}` : quoted(n.subject) || 'No subject yet')
	},
	sendSms: {
		type: 'sendSms',
		noun: 'SMS step',
		name: 'SMS',
		icon: 'message-square',
		category: 'message',
		help: 'Send a text message (Liquid template) through Twilio.',
		defaults: () => ({ type: 'sendSms', body: '' }),
		summary: (n) => quoted(n.body) || 'No text yet'
	},
	sendWhatsApp: {
		type: 'sendWhatsApp',
		noun: 'WhatsApp step',
		name: 'WhatsApp',
		icon: 'message-circle',
		category: 'message',
		help: 'Send a WhatsApp message through Twilio: free text within 24 h of the customer’s last message, an approved template otherwise.',
		defaults: () => ({ type: 'sendWhatsApp', body: '' }),
		summary: (n) => quoted(n.body ?? '') || (n.template ? `Template ${n.template.contentSid}` : 'No text yet')
	},
	sendPush: {
		type: 'sendPush',
		noun: 'push step',
		name: 'Web push',
		icon: 'bell',
		category: 'message',
		help: 'Show a notification in the browsers where the customer turned notifications on in the shop.',
		defaults: () => ({ type: 'sendPush', title: '', body: '', url: '/shop' }),
		summary: (n) => quoted(n.title) || 'No title yet'
	},
	adAudience: {
		type: 'adAudience',
		noun: 'ad audience step',
		name: 'Ad audience',
		icon: 'megaphone',
		category: 'action',
		help: 'Add the customer to, or remove them from, a Meta or Google ad audience (hashed identifiers).',
		defaults: () => ({ type: 'adAudience', provider: 'meta', audienceId: '', action: 'add' }),
		summary: (n) => `${n.action === 'add' ? 'Add to' : 'Remove from'} ${n.provider === 'meta' ? 'Meta' : 'Google'} ${quoted(n.audienceId)}`.trim()
	},
	grantOffer: {
		type: 'grantOffer',
		noun: 'offer step',
		name: 'Offer',
		icon: 'ticket',
		category: 'action',
		help: 'Grant one offer with one code: in the cart, the email, the SMS and at the till, redeemable once.',
		defaults: () => ({ type: 'grantOffer', title: '', kind: 'percent', value: 10, validFor: { amount: 7, unit: 'days' } }),
		summary: (n) => `${n.kind === 'percent' ? `${n.value}%` : `${n.value} ${n.currency ?? ''}`.trim()} off, ${formatDuration(n.validFor)}`
	},
	storeTask: {
		type: 'storeTask',
		noun: 'store task',
		name: 'Store task',
		icon: 'store',
		category: 'action',
		help: 'Ask the customer’s store to act: call back, hold an item, welcome them with their offer.',
		defaults: () => ({ type: 'storeTask', title: '', instructions: '', store: { kind: 'preferred' } }),
		summary: (n) => quoted(n.title) || 'No title yet'
	},
	webhook: {
		type: 'webhook',
		noun: 'webhook step',
		name: 'Webhook',
		icon: 'webhook',
		category: 'action',
		help: 'POST to your own system, signed, with a Liquid body.',
		defaults: () => ({ type: 'webhook', url: '' }),
		summary: (n) => {
			try {
				return new URL(n.url).host;
			} catch {
				return 'No URL yet';
			}
		}
	},
	updateProfile: {
		type: 'updateProfile',
		noun: 'profile update step',
		name: 'Profile update',
		icon: 'user-pen',
		category: 'action',
		help: 'Set or remove traits on the customer’s profile.',
		defaults: () => ({ type: 'updateProfile', set: {} }),
		summary: (n) => clip([...Object.keys(n.set ?? {}), ...(n.unset ?? []).map((k) => `−${k}`)].join(', ')) || 'Nothing yet'
	},
	exit: {
		type: 'exit',
		noun: 'exit',
		name: 'Exit',
		icon: 'flag',
		category: 'exit',
		help: 'End the journey here.',
		defaults: () => ({ type: 'exit' }),
		summary: (n) => (n.reason ? clip(n.reason) : 'End')
	}
};

export function isNodeType(type: unknown): type is NodeType {
	return typeof type === 'string' && Object.hasOwn(NODE_KINDS, type);
}

/** The registry entry of a kind. */
export function kindOf<T extends NodeType>(type: T): NodeKind<T> {
	return NODE_KINDS[type] as NodeKind<T>;
}

/** The kind of a step as a marketer calls it; unknown kinds are shown as they are. */
export function kindName(type: string): string {
	return isNodeType(type) ? NODE_KINDS[type].name : type;
}

/** A node's face on the canvas: a few words, never throwing on a half-filled draft node. */
export function summaryOf(node: JourneyNode): string {
	try {
		return (NODE_KINDS[node.type] as NodeKind).summary(node as never);
	} catch {
		return '';
	}
}

/** The outputs of a node (handle ids equal the branch names stored on edges), in canvas order. */
export function outputsOf(node: JourneyNode): Branch[] {
	return branchesOf(node);
}

export { describeNode, formatDuration };
