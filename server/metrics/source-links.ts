import type { Kysely } from 'kysely';
import type { Database } from '../db/tables.ts';

/**
 * Links from a drill-down row to the thing at its source: the pull request and the commit on GitHub, the
 * deployment's own page (a sender's `url` on the events API). Pull request and commit links are derived
 * from the repository's `owner/name`, which is GitHub's (repositories are configured as GitHub's); the
 * demo's repositories exist nowhere, so their rows get none.
 */

/** GitHub's web address from its API base: api.github.com → github.com; Enterprise `HOST/api/v3` → HOST. */
export function githubWebUrl(apiUrl: string): string {
  const url = new URL(apiUrl);
  if (url.hostname === 'api.github.com') return 'https://github.com';
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api(\/v3)?$/, '');
  return `${url.origin}${path}`;
}

/** Only http(s) links leave the server: a stored `javascript:` URL would run in the reader's session. */
export const safeUrl = (value: unknown): string | null =>
  typeof value === 'string' && /^https?:\/\/\S+$/i.test(value) ? value : null;

const path = (...parts: string[]) =>
  parts.map((part) => part.split('/').map(encodeURIComponent).join('/')).join('/');

/** Adds `pullRequestUrl`, `commitUrl` and `deploymentUrl` to the rows that have what they are built from. */
export async function withSourceLinks(
  db: Kysely<Database>,
  githubUrl: string | null,
  rows: Record<string, unknown>[],
): Promise<Record<string, unknown>[]> {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : null);
  const repositories = [...new Set(rows.flatMap((row) => text(row['repository']) ?? []))];
  const deploymentIds = [
    ...new Set(rows.flatMap((row) => (row['deploymentId'] == null ? [] : [Number(row['deploymentId'])]))),
  ];
  const [demo, deployments] = await Promise.all([
    repositories.length === 0
      ? []
      : db
          .selectFrom('repositories')
          .select('fullName')
          .where('demo', '=', true)
          .where('fullName', 'in', repositories)
          .execute(),
    deploymentIds.length === 0
      ? []
      : db
          .selectFrom('deployments')
          .select(['id', 'url'])
          .where('id', 'in', deploymentIds)
          .where('url', 'is not', null)
          .execute(),
  ]);
  const demoRepositories = new Set(demo.map((row) => row.fullName));
  const deploymentUrls = new Map(deployments.map((row) => [Number(row.id), row.url]));
  return rows.map((row) => {
    const links: Record<string, string> = {};
    const repository = text(row['repository']);
    if (githubUrl && repository && !demoRepositories.has(repository)) {
      const number = row['pullRequestNumber'] ?? (row['pullRequestId'] !== undefined ? row['number'] : null);
      if (typeof number === 'number')
        links['pullRequestUrl'] = `${githubUrl}/${path(repository)}/pull/${number}`;
      const sha = text(row['sha']);
      if (sha && /^[0-9a-f]{7,64}$/i.test(sha))
        links['commitUrl'] = `${githubUrl}/${path(repository)}/commit/${sha}`;
    }
    const deploymentUrl =
      row['deploymentId'] == null ? undefined : deploymentUrls.get(Number(row['deploymentId']));
    if (safeUrl(deploymentUrl)) links['deploymentUrl'] = deploymentUrl!;
    // A CI run's own link (GitHub's run page or a pushed `url`) is already on the row.
    if ('url' in row) return { ...row, url: safeUrl(row['url']), ...links };
    return { ...row, ...links };
  });
}
