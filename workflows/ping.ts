/** A trivial workflow that proves a worker is serving the task queue: the health check and tests run it. */
export async function ping(message: string): Promise<string> {
	return `pong: ${message}`;
}
