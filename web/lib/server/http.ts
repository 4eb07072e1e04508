/**
 * The API's error shape (`{ error: { code, message, details } }`), the status of business refusals and the body
 * reader live in core/http, as plain Request/Response; the web app uses them from there.
 */
export { ApiError, apiError, errorResponse, refusalResponse, withApiErrors } from '$core/http/index';
