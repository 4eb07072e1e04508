import type { IdentityKind } from '../db/schema/customers';

/** One normalized identifier (see normalize.ts); `(kind, value)` is unique across all customers. */
export type Identifier = { kind: IdentityKind; value: string };

export function identifierKey(i: Identifier): string {
	return `${i.kind}:${i.value}`;
}

export function uniqueIdentifiers(list: readonly Identifier[]): Identifier[] {
	const seen = new Map<string, Identifier>();
	for (const i of list) seen.set(identifierKey(i), i);
	return [...seen.values()];
}
