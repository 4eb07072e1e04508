import { qrResponse } from '$core/offers/http';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** The offer's code as an SVG QR code. Public: it encodes only the code (see core/offers/http.ts). */
export const GET: RequestHandler = async ({ params }) => qrResponse(params.code, 'svg', { db: (await database()).db });
