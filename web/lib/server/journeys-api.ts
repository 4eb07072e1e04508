import type { z } from 'zod';
import type { Permission, Principal } from '$core/auth/index';
import { JourneyError, journeyErrorStatus } from '$core/journeys/index';
import { denyApi } from './auth';
import { apiError, readJson, validationError } from './http';

/**
 * The frame of every journeys API handler: permission check first, then business refusals (`JourneyError`)
 * answered as 4xx in the API's error shape. Anything else stays a 500.
 */
export async function journeyApi(principal: Principal | null, permission: Permission, run: () => Promise<Response>): Promise<Response> {
	const denied = denyApi(principal, permission);
	if (denied) return denied;
	try {
		return await run();
	} catch (err) {
		if (err instanceof JourneyError) return apiError(journeyErrorStatus(err.code), err.code, err.message, err.problems ?? err.details);
		throw err;
	}
}

type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.infer<S>>> {
	const read = await readJson(request);
	if (!read.ok) return read;
	const parsed = schema.safeParse(read.body);
	return parsed.success ? { ok: true, data: parsed.data } : { ok: false, response: validationError(parsed.error) };
}

export function parseQuery<S extends z.ZodType>(url: URL, schema: S): Parsed<z.infer<S>> {
	const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
	if (parsed.success) return { ok: true, data: parsed.data };
	const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
	return { ok: false, response: apiError(400, 'invalid_request', 'The query string is not valid.', details) };
}
