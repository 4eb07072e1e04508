import type { Condition, JourneyNode, NodeType } from '../nodes';
import { nameOf, report, type Workspace } from './workspace';

/** Lists of what exists in the workspace; a list that is absent is not checked. */
export interface ValidationContext {
	templateIds?: readonly string[];
	segmentIds?: readonly string[];
	/** The present (ms): a one-off scheduled entry before it is reported. Absent when stored versions are re-read. */
	now?: number;
}

function refersTo(ws: Workspace, from: JourneyNode, target: string, types: NodeType[], what: string, field: string): boolean {
	// The declared type, so that a target with its own schema problem is not reported twice.
	const type = ws.stubById.get(target)?.type;
	if (types.some((t) => t === type)) return true;
	const why = ws.stubById.has(target) ? `“${target}” is not ${what}` : `“${target}” doesn't exist`;
	report(ws, 'invalid_reference', `${nameOf(ws, from.id)} refers to ${what} that it can't find (${why}).`, {
		nodeId: from.id,
		field
	});
	return false;
}

function checkCondition(ws: Workspace, node: JourneyNode, c: Condition, field: string, eventEntry: boolean): void {
	const name = nameOf(ws, node.id);
	if (c.kind === 'offer') refersTo(ws, node, c.nodeId, ['grantOffer'], 'an offer step', `${field}.nodeId`);
	if (c.kind === 'message' && refersTo(ws, node, c.nodeId, ['sendEmail', 'sendSms', 'sendWhatsApp', 'sendPush'], 'a message step', `${field}.nodeId`))
		if (c.status === 'opened' && (ws.nodes.get(c.nodeId)?.type === 'sendSms' || ws.nodes.get(c.nodeId)?.type === 'sendPush'))
			report(ws, 'untrackable_engagement', `${name} checks whether an SMS or a push notification was opened, which can't be tracked; check clicks instead.`, {
				nodeId: node.id,
				field: `${field}.status`
			});
	if (c.kind === 'entryProperty' && !eventEntry)
		report(ws, 'entry_property_unavailable', `${name} compares a property of the entry event, but this journey doesn't start from an event.`, {
			nodeId: node.id,
			field
		});
	if (c.kind === 'stock' && c.sku.from === 'entryProperty' && !eventEntry)
		report(ws, 'entry_property_unavailable', `${name} reads the SKU from the entry event, but this journey doesn't start from an event.`, {
			nodeId: node.id,
			field: `${field}.sku`
		});
}

/** References between steps, and to templates and segments when their lists are given. */
export function checkReferences(ws: Workspace, ctx: ValidationContext): void {
	const nodes = [...ws.nodes.values()];
	const trigger = nodes.find((n) => n.type === 'trigger');
	const eventEntry = trigger === undefined || trigger.entry.kind === 'event'; // no trigger: reported already
	for (const node of nodes) {
		const name = nameOf(ws, node.id);
		if (node.type === 'condition')
			node.branches.forEach((b, i) => b.conditions.forEach((c, j) => checkCondition(ws, node, c, `branches.${i}.conditions.${j}`, eventEntry)));
		if (node.type === 'storeTask' && node.offerNodeId !== undefined) refersTo(ws, node, node.offerNodeId, ['grantOffer'], 'an offer step', 'offerNodeId');
		if (node.type === 'waitForEvent' && node.matchEntryProperty !== undefined && !eventEntry)
			report(ws, 'entry_property_unavailable', `${name} matches on a property of the entry event, but this journey doesn't start from an event.`, {
				nodeId: node.id,
				field: 'matchEntryProperty'
			});
		if (node.type === 'sendEmail' && node.templateId !== undefined && ctx.templateIds && !ctx.templateIds.includes(node.templateId))
			report(ws, 'unknown_template', `${name} uses an email template that doesn't exist (“${node.templateId}”).`, {
				nodeId: node.id,
				field: 'templateId'
			});
		if (
			node.type === 'trigger' &&
			(node.entry.kind === 'segment' || node.entry.kind === 'schedule') &&
			ctx.segmentIds &&
			!ctx.segmentIds.includes(node.entry.segmentId)
		)
			report(ws, 'unknown_segment', `${name} uses a segment that doesn't exist (“${node.entry.segmentId}”).`, {
				nodeId: node.id,
				field: 'entry.segmentId'
			});
	}
}
