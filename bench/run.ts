/**
 * All benchmarks (`npm run bench`), one after another in this process. Each prints its own figures; nothing is
 * written to disk. Add a benchmark by exporting a `run…Bench(log)` function from its file and listing it here.
 */
import { runIngestBench } from './ingest';

const benchmarks: Array<{ name: string; run: (log: (m: string) => void) => Promise<unknown> }> = [{ name: 'ingest', run: runIngestBench }];

async function run(): Promise<void> {
	for (const [i, b] of benchmarks.entries()) {
		if (i > 0) console.log('\n' + '='.repeat(80) + '\n');
		const started = performance.now();
		await b.run(console.log);
		console.log(`\n[bench] ${b.name} finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
	}
}

run().catch((err: unknown) => {
	console.error(err);
	process.exit(1);
});
