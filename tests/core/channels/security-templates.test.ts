import { describe, expect, it } from 'vitest';
import { renderTemplate, type TemplateContext, type TemplateMode } from '../../../core/channels/template';

// Exploits from the 2026-11-30 review: a marketer's template must not read the server's files.
const context: TemplateContext = {
	customer: { id: 'c-1', first_name: 'Ada", "admin": true, "x": "' },
	event: { product: 'Red "shoes"\n', total: 12.5 },
	offer: null,
	links: { unsubscribe: 'https://x/unsubscribe/t' }
};
const modes: TemplateMode[] = ['html', 'text', 'json'];

describe('templates cannot reach the file system', () => {
	for (const mode of modes) {
		it(`refuses include, render and layout in ${mode} templates with a clear template error`, async () => {
			for (const source of [
				'{% include ".data/secrets/admin-password" %}',
				'{% layout "package.json" %}',
				'{% render "package.json" %}',
				"{% include 'package.json' %}",
				'{%- liquid\n include "package.json"\n-%}'
			]) {
				const attempt = renderTemplate(source, context, mode);
				await expect(attempt, source).rejects.toMatchObject({ name: 'PermanentChannelError', info: { code: 'template_error' } });
				await expect(attempt, source).rejects.toThrow(/template error: .*tag is not available: templates cannot read files/);
			}
		});
	}

	it('never prints a file even when the template is otherwise valid', async () => {
		const out = await renderTemplate('{{ "package.json" }} {{ customer.id }}', context, 'text').catch((e: Error) => e.message);
		expect(out).toBe('package.json c-1');
	});
});

describe('templates are bounded', () => {
	it('stops a template that renders for too long', async () => {
		const started = Date.now();
		await expect(renderTemplate('{% for i in (1..100000000) %}{{ i }}{% endfor %}', context, 'text')).rejects.toMatchObject({
			info: { code: 'template_error' }
		});
		expect(Date.now() - started).toBeLessThan(5000);
	});

	it('stops a template whose output or allocations grow without bound', async () => {
		await expect(
			renderTemplate('{% assign s = "xxxxxxxxxx" %}{% for i in (1..30) %}{% assign s = s | append: s %}{% endfor %}{{ s }}', context, 'text')
		).rejects.toMatchObject({ info: { code: 'template_error' } });
		await expect(renderTemplate('{% for i in (1..150000) %}0123456789{% endfor %}', context, 'text')).rejects.toThrow(/template error/);
	});
});

describe('webhook bodies are escaped as JSON', () => {
	it('keeps every variable inside its JSON string', async () => {
		const body = await renderTemplate('{"name": "{{ customer.first_name }}", "product": "{{ event.product }}", "total": {{ event.total }}}', context, 'json');
		expect(JSON.parse(body)).toEqual({ name: 'Ada", "admin": true, "x": "', product: 'Red "shoes"\n', total: 12.5 });
	});

	it('writes whole objects with | json, once', async () => {
		const body = await renderTemplate('{"event": {{ event | json }}, "id": "{{ customer.id }}"}', context, 'json');
		expect(JSON.parse(body)).toEqual({ event: { product: 'Red "shoes"\n', total: 12.5 }, id: 'c-1' });
	});
});
