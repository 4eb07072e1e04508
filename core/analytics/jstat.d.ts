// jstat ships no types; only what core/analytics/stats.ts uses.
declare module 'jstat' {
	const jStat: {
		chisquare: { cdf(x: number, dof: number): number };
		normal: { inv(p: number, mean: number, sd: number): number };
	};
	export default jStat;
}
