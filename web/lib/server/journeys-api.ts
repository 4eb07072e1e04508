import type { z } from 'zod';
import type { Permission, Principal } from '$core/auth/index';
import { readValidBody, refusalResponse, validQuery, withApiErrors } from '$core/http/index';
import { denyApi } from './auth';

/**
 * The frame of every journeys API handler: permission check first, then business refusals (`JourneyError`,
 * `ApiError`) answered as 4xx in the API's error shape by core/http. Anything else stays a 500.
 */
export async function journeyApi(principal: Principal | null, permission: Permission, run: () => Promise<Response>): Promise<Response> {
	return denyApi(principal, permission) ?? withApiErrors(run);
}

type Parsed<T> = { ok: true; data: T } | { ok: false; response: Response };

/** The body validated by `schema` (core/http's reader: size and depth limits), or the 4xx to return. */
export async function parseBody<S extends z.ZodType>(request: Request, schema: S): Promise<Parsed<z.infer<S>>> {
	try {
		return { ok: true, data: await readValidBody(request, schema) };
	} catch (err) {
		return { ok: false, response: refusalResponse(err) };
	}
}

/** The query string validated by `schema`, or the 400 to return. */
export function parseQuery<S extends z.ZodType>(url: URL, schema: S): Parsed<z.infer<S>> {
	try {
		return { ok: true, data: validQuery(url, schema) };
	} catch (err) {
		return { ok: false, response: refusalResponse(err) };
	}
}
