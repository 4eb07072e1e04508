import type { FilterOp, Scalar } from '../../../../core/graph/nodes/index';

/**
 * Filter values as typed in one text box, and back. Comparisons need numbers to be numbers (`lt`/`gt`), lists
 * to be lists (`in`), `exists` a yes/no; `true`/`false`/`null` typed alone mean themselves. Pure, unit-tested.
 */
export function parseScalar(raw: string): Scalar {
	const t = raw.trim();
	if (t === 'true') return true;
	if (t === 'false') return false;
	if (t === 'null') return null;
	if (t !== '' && /^-?\d+(\.\d+)?$/.test(t)) return Number(t);
	return raw;
}

/** The text shown in a filter's value box. */
export function formatFilterValue(filter: Record<string, unknown>): string {
	const v = filter.value;
	if (Array.isArray(v)) return v.map((x) => String(x)).join(', ');
	return v === undefined ? '' : String(v);
}

/** The stored value for `op` from the text typed. */
export function filterValue(op: FilterOp, raw: string): unknown {
	switch (op) {
		case 'exists':
			return undefined;
		case 'in':
			return raw
				.split(',')
				.map((s) => s.trim())
				.filter((s) => s !== '')
				.map(parseScalar);
		case 'lt':
		case 'gt': {
			const n = parseScalar(raw);
			return typeof n === 'number' ? n : raw.trim();
		}
		case 'contains': {
			const v = parseScalar(raw);
			return v === null ? raw : v;
		}
		default:
			return parseScalar(raw);
	}
}

/** The filter after its comparison changed: the value carried over when it still makes sense. */
export function withOp<F extends Record<string, unknown>>(filter: F, op: FilterOp): F {
	const { value: _old, ...rest } = filter;
	if (op === 'exists') return { ...rest, op } as unknown as F;
	return { ...rest, op, value: filterValue(op, formatFilterValue(filter)) } as unknown as F;
}
