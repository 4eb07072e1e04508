import { z } from 'zod';
import { AdAudienceNode, ExitNode, GrantOfferNode, StoreTaskNode, UpdateProfileNode, WebhookNode } from './actions';
import { ConditionNode } from './condition';
import { SendEmailNode, SendPushNode, SendSmsNode, SendWhatsAppNode } from './messages';
import { RandomSplitNode } from './random-split';
import { TriggerNode } from './trigger';
import { WaitForEventNode, WaitNode } from './wait';

export * from './actions';
export * from './common';
export * from './condition';
export * from './filters';
export * from './messages';
export * from './random-split';
export * from './trigger';
export * from './wait';

/** Every node kind, discriminated by `type`. */
export const JourneyNode = z.discriminatedUnion('type', [
	TriggerNode,
	WaitNode,
	WaitForEventNode,
	ConditionNode,
	RandomSplitNode,
	SendEmailNode,
	SendSmsNode,
	SendWhatsAppNode,
	SendPushNode,
	AdAudienceNode,
	GrantOfferNode,
	StoreTaskNode,
	WebhookNode,
	UpdateProfileNode,
	ExitNode
]);
export type JourneyNode = z.infer<typeof JourneyNode>;
export type NodeType = JourneyNode['type'];
export type NodeOfType<T extends NodeType> = Extract<JourneyNode, { type: T }>;

// A record rather than an array so that adding a node kind without listing it fails to compile.
const nodeTypeSet = {
	trigger: true,
	wait: true,
	waitForEvent: true,
	condition: true,
	randomSplit: true,
	sendEmail: true,
	sendSms: true,
	sendWhatsApp: true,
	sendPush: true,
	adAudience: true,
	grantOffer: true,
	storeTask: true,
	webhook: true,
	updateProfile: true,
	exit: true
} as const satisfies Record<NodeType, true>;
export const NODE_TYPES = Object.keys(nodeTypeSet) as NodeType[];
