import type { Kysely } from 'kysely';
import type { Database, NewCommit } from './tables.ts';
import { sql } from 'kysely';

/**
 * Upserts commits on (repository, sha); a later source may fill in an authored time the first lacked. One
 * statement over arrays (`unnest`): four parameters however many commits a pushed batch carries.
 */
export async function upsertCommits(db: Kysely<Database>, commits: readonly NewCommit[]): Promise<void> {
  const unique = [
    ...new Map(commits.map((commit) => [`${commit.repositoryId}:${commit.sha}`, commit])).values(),
  ];
  if (unique.length === 0) return;
  const at = (value: Date | string | null | undefined) => (value === undefined ? null : value);
  await sql`
    insert into commits (repository_id, sha, committed_at, authored_at)
    select * from unnest(${unique.map((c) => c.repositoryId)}::integer[], ${unique.map((c) => c.sha)}::text[],
      ${unique.map((c) => at(c.committedAt))}::timestamptz[], ${unique.map((c) => at(c.authoredAt))}::timestamptz[])
    on conflict (repository_id, sha) do update
      set committed_at = excluded.committed_at, authored_at = coalesce(excluded.authored_at, commits.authored_at)
      where commits.committed_at is distinct from excluded.committed_at
        or (excluded.authored_at is not null and commits.authored_at is distinct from excluded.authored_at)`.execute(
    db,
  );
}
