import { openDatabase } from './server/db/database.ts';
import { migrateToLatest, isFullyMigrated } from './server/db/migrate.ts';
import { sql } from 'kysely';
const t=Date.now();
const h = await openDatabase({ url: process.env.DATABASE_URL ?? null, dataDir: 'memory', role: 'test' });
console.log('open', Date.now()-t);
console.log(await migrateToLatest(h.db), await isFullyMigrated(h.db), Date.now()-t);
console.log((await sql<{n:number}>`select count(*) as n from teams`.execute(h.db)).rows);
await h.close();
