import { qrResponse } from '$core/offers/http';
import type { RequestHandler } from './$types';

/** The offer's code as a PNG QR code, for e-mails (mail clients block SVG images). Public; unknown codes are drawn like real ones (see core/offers/http.ts). */
export const GET: RequestHandler = async ({ params }) => qrResponse(params.code, 'png');
