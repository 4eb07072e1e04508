import { qrResponse } from '$core/offers/http';
import { database } from '$lib/server/context';
import type { RequestHandler } from './$types';

/** The offer's code as a PNG QR code, for e-mails (mail clients block SVG images). Public. */
export const GET: RequestHandler = async ({ params }) => qrResponse(params.code, 'png', { db: (await database()).db });
