// A `duckdb -c SQL` for the benchmarks where no duckdb command is installed:
// DuckDB's own engine through its Node.js package (@duckdb/node-api, whose
// native library ships in the npm registry).  Result rows go to stdout as
// NDJSON.  Installed beside its node_modules by `test/install-deps --bench`.
// DUCKDB_THREADS sets DuckDB's threads (default: every core).
import { DuckDBInstance } from '@duckdb/node-api';

const i = process.argv.indexOf('-c');
if (i < 0 || !process.argv[i + 1]) {
	process.stderr.write('usage: duckdb -c SQL\n');
	process.exit(64);
}
const opts = process.env.DUCKDB_THREADS ? { threads: String(process.env.DUCKDB_THREADS) } : {};
const db = await DuckDBInstance.create(':memory:', opts);
const con = await db.connect();
const result = await con.runAndReadAll(process.argv[i + 1]);
for (const row of result.getRowObjectsJson())
	process.stdout.write(JSON.stringify(row) + '\n');
