import type { Duration, JourneyNode } from './nodes';
import { describeSchedule } from './schedule';

/** "1 day", "3 hours". */
export function formatDuration(d: Duration): string {
	const unit = d.amount === 1 ? d.unit.slice(0, -1) : d.unit;
	return `${d.amount} ${unit}`;
}

function clip(text: string, max = 80): string {
	return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** One sentence saying what a (valid) step does. */
export function describeNode(node: JourneyNode): string {
	switch (node.type) {
		case 'trigger':
			if (node.entry.kind === 'event') return `Starts when the customer does “${node.entry.event}”.`;
			if (node.entry.kind === 'schedule')
				return `Enters the members of segment “${node.entry.segmentId}”: ${describeSchedule(node.entry).replace(/^./, (c) => c.toLowerCase())}.`;
			if (node.entry.kind === 'segment') return `Starts when the customer ${node.entry.on === 'leave' ? 'leaves' : 'joins'} segment “${node.entry.segmentId}”.`;
			return 'Starts when a customer is entered by hand or through the API.';
		case 'wait':
			if (node.mode === 'duration') return `Waits ${formatDuration(node.duration)}.`;
			if (node.mode === 'until') return `Waits until ${node.until}.`;
			if (node.mode === 'date') {
				const shift = node.offsetDays
					? `, ${Math.abs(node.offsetDays)} day${Math.abs(node.offsetDays) === 1 ? '' : 's'} ${node.offsetDays < 0 ? 'before' : 'after'}`
					: '';
				const source = node.date.source === 'trait' ? `the customer's “${node.date.path}”` : `the entry event's “${node.date.path}”`;
				return `Waits until ${node.time} in the customer's time zone on the date in ${source}${shift}.`;
			}
			return `Waits until ${node.time} in the customer's time zone.`;
		case 'waitForEvent':
			return `Waits up to ${formatDuration(node.timeout)} for “${node.event}”.`;
		case 'condition':
			return `Checks ${node.branches.length === 1 ? 'one condition' : `${node.branches.length} conditions`}, in order.`;
		case 'randomSplit':
			return `Splits customers between ${node.variants.map((v) => v.label).join(', ')}${node.holdoutPercent ? ` (holdout ${node.holdoutPercent}%)` : ''}.`;
		case 'sendEmail':
			return node.templateId ? `Sends the email template “${node.templateId}”.` : `Sends the email “${clip(node.subject ?? '')}”.`;
		case 'sendSms':
			return `Sends the SMS “${clip(node.body)}”.`;
		case 'sendWhatsApp':
			return node.body?.trim()
				? `Sends the WhatsApp message “${clip(node.body)}”${node.template ? ' (its template outside the 24-hour window)' : ''}.`
				: `Sends the WhatsApp template ${node.template?.contentSid ?? ''}.`;
		case 'sendPush':
			return `Sends the push notification “${clip(node.title)}”.`;
		case 'adAudience':
			return `${node.action === 'add' ? 'Adds the customer to' : 'Removes the customer from'} the ${node.provider === 'meta' ? 'Meta' : 'Google'} audience “${node.audienceId}”.`;
		case 'grantOffer':
			return `Grants the offer “${node.title}”, valid ${formatDuration(node.validFor)}.`;
		case 'storeTask':
			return `Asks the store: “${node.title}”.`;
		case 'webhook':
			return `Calls ${node.url}.`;
		case 'updateProfile':
			return `Updates the profile (${[...Object.keys(node.set ?? {}), ...(node.unset ?? [])].join(', ')}).`;
		case 'exit':
			return node.reason ? `Ends the journey (${node.reason}).` : 'Ends the journey.';
	}
}
