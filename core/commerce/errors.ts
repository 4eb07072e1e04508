import { ApiError } from '../http/errors';

/**
 * A stock or catalogue request refused for a business reason. It is an ApiError, so every JSON API (and the
 * store page's upload, which shows `message`) answers it the same way without a mapping of its own.
 */
export class CommerceError extends ApiError {
	override name = 'CommerceError';
	constructor(status: 404 | 422, code: 'store_not_found' | 'unknown_skus', message: string, details: unknown = null) {
		super(status, code, message, details);
	}
}
