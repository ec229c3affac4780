import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

/**
 * A digest, per calendar month (UTC), of every row a team's delivery metrics for that month read — so a
 * stored result can be trusted exactly while its digest is unchanged. It digests whole rows rather than
 * comparing `updated_at`: pull requests and commits have no such column, re-attribution and incident
 * linking rewrite rows without touching it, and a row that *leaves* the month (a deployment moved to
 * another team, or whose finish was corrected) leaves no newer timestamp behind; a digest of the set
 * changes in every one of these cases. It mirrors the metric queries' inputs:
 * - the team's deployments finishing in the month, any status and environment (deployment frequency,
 *   change failure rate, rework rate);
 * - each commit they shipped, with every deployment that shipped the same commit (lead time counts only
 *   the first) and the pull requests it may belong to — merged as it, or listing it (or, rebased, its
 *   authored time) among their commits (lead time start, cycle-time breakdown);
 * - incidents tied to those deployments, whoever owns them (change failure rate);
 * - the team's incidents starting in the month (recovery time) and pull requests merged in it (hygiene).
 * Update it with them when a metric starts reading something new.
 */
export async function monthInputFingerprints(
  db: Kysely<Database>,
  teamId: number,
  range: { from: Date; to: Date },
): Promise<Map<string, string>> {
  const month = (column: string) => sql`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM')`;
  const result = await sql<{ month: string; fingerprint: string }>`
    with team_deployments as (
      select d.id, ${month('d.finished_at')} as month, d::text as row_text
      from deployments d
      where d.team_id = ${teamId} and d.finished_at >= ${range.from} and d.finished_at < ${range.to}
    ), pieces as (
      select td.month, 'deployment ' || td.row_text as piece from team_deployments td
      union all
      select td.month, concat_ws(' ', 'shipped', td.id, c::text,
        (select string_agg(concat_ws(',', d2.id, d2.status, d2.environment, d2.finished_at), ';' order by d2.id)
           from deployment_commits dc2 join deployments d2 on d2.id = dc2.deployment_id
           where dc2.repository_id = dc.repository_id and dc2.sha = dc.sha),
        (select string_agg(p::text, ';' order by p.id) from pull_requests p
           where p.repository_id = dc.repository_id and (p.merge_commit_sha = dc.sha or p.id in (
             select pc.pull_request_id from pull_request_commits pc
             where pc.repository_id = dc.repository_id and (pc.sha = dc.sha or pc.authored_at = c.authored_at)))))
      from team_deployments td
      join deployment_commits dc on dc.deployment_id = td.id
      join commits c on c.repository_id = dc.repository_id and c.sha = dc.sha
      union all
      select td.month, 'caused ' || i::text
      from team_deployments td join incidents i on i.deployment_id = td.id
      union all
      select ${month('i.started_at')}, 'incident ' || i::text
      from incidents i
      where i.team_id = ${teamId} and i.started_at >= ${range.from} and i.started_at < ${range.to}
      union all
      select ${month('p.merged_at')}, 'pull request ' || p::text
      from pull_requests p
      where p.team_id = ${teamId} and p.merged_at >= ${range.from} and p.merged_at < ${range.to}
    )
    select month, md5(string_agg(piece, chr(10) order by piece)) as fingerprint
    from pieces group by month`.execute(db);
  return new Map(result.rows.map((row) => [row.month, row.fingerprint]));
}
