import { json } from '@sveltejs/kit';
import { TEMPLATES } from '$core/graph/templates/index';
import { outlineOf } from '$core/graph/outline';
import { journeyApi } from '$lib/server/journeys-api';
import type { RequestHandler } from './$types';

/**
 * The journeys one can start from (`POST /journeys { name, template }`), in gallery order: id, name, description,
 * channels, the step outline, and the definition itself.
 */
export const GET: RequestHandler = ({ locals }) =>
	journeyApi(locals.principal, 'journeys:read', async () =>
		json({
			items: TEMPLATES.map((t) => {
				const definition = t.build();
				return { id: t.id, name: t.name, description: t.description, channels: t.channels, steps: outlineOf(definition), definition };
			})
		})
	);
