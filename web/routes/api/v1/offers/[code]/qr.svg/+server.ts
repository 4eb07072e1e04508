import { qrResponse } from '$core/offers/http';
import type { RequestHandler } from './$types';

/** The offer's code as an SVG QR code. Public: it encodes only the code, and unknown codes are drawn like real ones (see core/offers/http.ts). */
export const GET: RequestHandler = async ({ params }) => qrResponse(params.code, 'svg');
