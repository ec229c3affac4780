import { sql } from 'kysely';
import type { Kysely } from 'kysely';

// The commits of each pull request, as GitHub lists them (PullRequest.commits): lead time links a shipped
// commit to its pull request through them, whatever the merge strategy (a merge commit's branch commits, a
// rebase merge's recreated commits, a squash commit). Frozen: later changes go in new migrations. Runs on
// PostgreSQL 15+ and on PGlite (PostgreSQL 18).

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table pull_request_commits (
      pull_request_id bigint not null references pull_requests (id) on delete cascade,
      repository_id integer not null references repositories (id),
      sha text not null,
      -- survives a rebase: a rebase merge recreates the commit with a new sha and the same authored time
      authored_at timestamptz,
      committed_at timestamptz,
      primary key (pull_request_id, sha)
    );
    create index pull_request_commits_sha on pull_request_commits (repository_id, sha);
    create index pull_request_commits_authored on pull_request_commits (repository_id, authored_at);
  `.execute(db);
}
