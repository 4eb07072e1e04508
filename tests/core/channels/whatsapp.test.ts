import { describe, expect, it } from 'vitest';
import { phoneOfWhatsApp, whatsAppAddress, whatsAppMode, WHATSAPP_WINDOW_MS } from '../../../core/channels/whatsapp';
import { SendWhatsAppNode } from '../../../core/graph/nodes/messages';

const now = new Date('2026-03-02T10:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('the WhatsApp 24-hour window', () => {
	it('sends free text inside the window when the step has text', () => {
		expect(whatsAppMode(ago(60_000), now, { hasBody: true, hasTemplate: true }).mode).toBe('session');
		expect(whatsAppMode(ago(WHATSAPP_WINDOW_MS - 1), now, { hasBody: true, hasTemplate: false }).mode).toBe('session');
	});
	it('uses the template outside the window, or inside it when the step has no text', () => {
		expect(whatsAppMode(ago(WHATSAPP_WINDOW_MS), now, { hasBody: true, hasTemplate: true }).mode).toBe('template');
		expect(whatsAppMode(null, now, { hasBody: true, hasTemplate: true }).mode).toBe('template');
		expect(whatsAppMode(ago(60_000), now, { hasBody: false, hasTemplate: true }).mode).toBe('template');
	});
	it('is closed outside the window without a template', () => {
		expect(whatsAppMode(ago(WHATSAPP_WINDOW_MS + 1), now, { hasBody: true, hasTemplate: false }).mode).toBe('closed');
		expect(whatsAppMode(null, now, { hasBody: true, hasTemplate: false }).mode).toBe('closed');
	});
	it('addresses numbers as whatsapp:+E164 and back', () => {
		expect(whatsAppAddress('+33612345678')).toBe('whatsapp:+33612345678');
		expect(whatsAppAddress('whatsapp:+33612345678')).toBe('whatsapp:+33612345678');
		expect(phoneOfWhatsApp('whatsapp:+33612345678')).toBe('+33612345678');
	});
});

describe('the WhatsApp step schema', () => {
	it('needs text or a template', () => {
		expect(SendWhatsAppNode.safeParse({ id: 'w', type: 'sendWhatsApp' }).success).toBe(false);
		expect(SendWhatsAppNode.safeParse({ id: 'w', type: 'sendWhatsApp', body: '  ' }).success).toBe(false);
		expect(SendWhatsAppNode.safeParse({ id: 'w', type: 'sendWhatsApp', body: 'Hi' }).success).toBe(true);
		expect(SendWhatsAppNode.safeParse({ id: 'w', type: 'sendWhatsApp', template: { contentSid: `HX${'0'.repeat(32)}` } }).success).toBe(true);
	});
	it('checks the Content SID', () => {
		const bad = SendWhatsAppNode.safeParse({ id: 'w', type: 'sendWhatsApp', template: { contentSid: 'HX123' } });
		expect(bad.success).toBe(false);
		expect(bad.error!.issues[0]!.path).toEqual(['template', 'contentSid']);
	});
});
