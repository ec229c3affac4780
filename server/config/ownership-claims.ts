import type { ConfigProblem } from './schema-errors.ts';

interface Claimant {
  slug: string;
  repositories: { pattern: string; keyPath: string }[];
  services: { pattern: string; keyPath: string }[];
}

/**
 * A repository or service claimed by two teams at the same level of specificity is ambiguous, so it is a
 * configuration error naming both key paths. An exact name beats a glob, so `acme/billing` in one team and
 * `acme/*` in another is fine; the same glob in two teams is not. Duplicate team slugs are caught here too.
 */
export function ownershipProblems(teams: readonly Claimant[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const slugs = new Map<string, number>();
  teams.forEach((team, index) => {
    const first = slugs.get(team.slug);
    if (first !== undefined) {
      problems.push({
        path: `teams[${index}].slug`,
        message: `"${team.slug}" is already used by teams[${first}]`,
      });
    } else slugs.set(team.slug, index);
  });
  for (const kind of ['repositories', 'services'] as const) {
    const claimed = new Map<string, { slug: string; keyPath: string }>();
    for (const team of teams) {
      for (const claim of team[kind]) {
        const earlier = claimed.get(claim.pattern);
        if (earlier && earlier.slug !== team.slug) {
          problems.push({
            path: claim.keyPath,
            message: `"${claim.pattern}" is also claimed by team "${earlier.slug}" at ${earlier.keyPath}; one owner per name`,
          });
        } else if (!earlier) claimed.set(claim.pattern, { slug: team.slug, keyPath: claim.keyPath });
      }
    }
  }
  return problems;
}
