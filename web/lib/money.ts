/** An amount in cents as people read it (`€59.00`), in the currency given (ISO 4217). */
export function formatMoney(cents: number, currency: string): string {
	return new Intl.NumberFormat('en-IE', { style: 'currency', currency }).format(cents / 100);
}
