import { defineConfig } from 'drizzle-kit';

/** Migrations are generated from core/db/schema and committed; the app applies them at start (core/db/migrate). */
export default defineConfig({
	dialect: 'postgresql',
	schema: './core/db/schema/index.ts',
	out: './core/db/migrations'
});
