import { computeDeliveryMetrics, metricsKey } from '../metrics/delivery-metrics.ts';
import { activeTeams, metricsOptions } from '../metrics/metrics.service.ts';
import { ticketWaitSums } from '../metrics/ticket-friction.metric.ts';
import { surveyResults } from '../surveys/surveys.service.ts';
import type { HoursCell } from '../surveys/survey-results.ts';
import { AppError } from '../errors.ts';
import { DAY_MS } from '../time.ts';
import type { FrictionContext } from './friction-analysis.ts';
import { frictionSettings } from './friction-analysis.ts';
import { mean, round2, welchInterval } from './statistics.ts';
import { teamFriction } from './team-friction.ts';

/**
 * Did a shipped capability pay off? Its weekly telemetry evidence — B + ΣT, developer-hours lost per week
 * to the friction points it addresses, from tickets and delivery measures — compared team by team:
 * pre = the 8 Monday-weeks before the week it shipped, post = 8 weeks starting 2 weeks after that week (time
 * to adopt). A team's change is its post mean minus its pre mean, over weeks with data; a team counts with
 * at least 4 such weeks on each side. Difference-in-differences = mean change of the adopting teams − mean
 * change of the others, with a Welch 95 % interval; with fewer than 2 counted teams on either side it is
 * "too thin to tell". Survey rounds: the addressed hours categories before and after, no interval claimed.
 */

const WEEK_MS = 7 * DAY_MS;
const PRE_WEEKS = 8;
const POST_GAP_WEEKS = 2;
const POST_WEEKS = 8;
const MIN_WEEKS = 4;
const MIN_TEAMS = 2;

export interface TeamImpact {
  team: { slug: string; name: string };
  adopter: boolean;
  preWeeks: number;
  postWeeks: number;
  preMeanHoursPerWeek: number | null;
  postMeanHoursPerWeek: number | null;
  change: number | null;
  counted: boolean;
}

export interface CapabilityImpact {
  capability: { id: string; title: string };
  shippedOn: string;
  adoptingTeams: string[];
  measure: string;
  frictionPoints: string[];
  windows: { pre: { from: string; to: string }; post: { from: string; to: string } };
  teams: TeamImpact[];
  verdict: 'improved' | 'worsened' | 'no-clear-change' | 'too-thin-to-tell';
  differenceInDifferences: { estimate: number; low: number; high: number; degreesOfFreedom: number } | null;
  reason: string;
  survey: {
    before: string | null;
    after: string | null;
    categories: { category: string; before: number | null; after: number | null; note: string | null }[];
  };
}

const monday = (at: Date) => {
  const days = Math.floor((at.getTime() - 4 * DAY_MS) / WEEK_MS) * 7 + 4; // 1970-01-05 was a Monday
  return new Date(days * DAY_MS);
};

export async function capabilityImpact(
  ctx: FrictionContext,
  capabilityId: string,
): Promise<CapabilityImpact> {
  const capability = ctx.catalogue.capabilities.find((c) => c.id === capabilityId);
  if (!capability) throw new AppError(404, 'NOT_FOUND', `no capability "${capabilityId}"`, 'id');
  const shipped = ctx.org.friction.shipped.find((s) => s.capability === capabilityId);
  if (!shipped)
    throw new AppError(
      409,
      'CAPABILITY_NOT_SHIPPED',
      `capability "${capabilityId}" is not marked shipped (friction.shipped in the configuration)`,
      'id',
    );
  const settings = frictionSettings(ctx.org);
  const points = ctx.catalogue.frictionPoints.filter((p) =>
    capability.addresses.some((a) => a.friction === p.id),
  );
  const week0 = monday(shipped.shippedOn);
  const preFrom = new Date(week0.getTime() - PRE_WEEKS * WEEK_MS);
  const postFrom = new Date(week0.getTime() + POST_GAP_WEEKS * WEEK_MS);
  const postTo = new Date(postFrom.getTime() + POST_WEEKS * WEEK_MS);
  const now = ctx.now();
  const window = { from: preFrom, to: postTo < now ? postTo : now, label: 'impact' };
  const teams = await activeTeams(ctx.db);
  const weeks = Array.from({ length: PRE_WEEKS + POST_GAP_WEEKS + POST_WEEKS }, (_, i) => {
    const from = new Date(preFrom.getTime() + i * WEEK_MS);
    return { from, to: new Date(from.getTime() + WEEK_MS), label: from.toISOString().slice(0, 10) };
  }).filter((week) => week.to <= window.to);
  const options = metricsOptions(ctx.metrics, undefined);
  const delivery =
    weeks.length > 0 && window.to > window.from
      ? await computeDeliveryMetrics(
          ctx.db,
          {
            period: window,
            now,
            productionEnvironments: options.productionEnvironments,
            byTeam: true,
            bucket: 'week',
          },
          options,
          teams.flatMap((team) =>
            weeks.map((week) => ({ teamId: team.id, period: week, bucket: week.from })),
          ),
        )
      : new Map();
  const tickets =
    window.to > window.from
      ? await ticketWaitSums(
          ctx.db,
          {
            period: window,
            asOf: window.to,
            waiting: {
              categories: ctx.org.tickets.waitingStatusCategories,
              names: ctx.org.tickets.waitingStatuses,
            },
            groupBy: null,
          },
          { byWeek: true },
        )
      : [];
  const adopters = new Set(shipped.adoptingTeams);
  const teamImpacts = teams.map((team): TeamImpact => {
    const pre: number[] = [];
    const post: number[] = [];
    for (const week of weeks) {
      const inPre = week.from < week0;
      const inPost = week.from >= postFrom;
      if (!inPre && !inPost) continue;
      const weekTickets = tickets.filter((row) => row.week?.getTime() === week.from.getTime());
      const metrics = delivery.get(metricsKey(team.id, week.from));
      let hours = 0;
      let hasData = false;
      for (const point of points) {
        const figure = teamFriction(point, {
          team: { slug: team.slug, name: team.name, developers: 0 },
          weeks: 1,
          survey: null,
          tickets: { available: true, rows: weekTickets },
          delivery: metrics,
          settings,
        });
        if ((figure.tickets?.tickets ?? 0) > 0 || figure.telemetry.some((t) => t.sampleSize > 0))
          hasData = true;
        hours += figure.telemetryHoursPerWeek ?? 0;
      }
      if (hasData) (inPre ? pre : post).push(hours);
    }
    const preMean = pre.length > 0 ? round2(mean(pre)) : null;
    const postMean = post.length > 0 ? round2(mean(post)) : null;
    const counted = pre.length >= MIN_WEEKS && post.length >= MIN_WEEKS;
    return {
      team: { slug: team.slug, name: team.name },
      adopter: adopters.has(team.slug),
      preWeeks: pre.length,
      postWeeks: post.length,
      preMeanHoursPerWeek: preMean,
      postMeanHoursPerWeek: postMean,
      change: counted ? round2(mean(post) - mean(pre)) : null,
      counted,
    };
  });
  const changes = (adopter: boolean) =>
    teamImpacts.filter((t) => t.counted && t.adopter === adopter).map((t) => t.change!);
  const adopterChanges = changes(true);
  const otherChanges = changes(false);
  let verdict: CapabilityImpact['verdict'] = 'too-thin-to-tell';
  let did: CapabilityImpact['differenceInDifferences'] = null;
  let reason = `too thin to tell: ${adopterChanges.length} adopting and ${otherChanges.length} other teams have at least ${MIN_WEEKS} weeks of data on both sides (${MIN_TEAMS} each needed)`;
  if (adopterChanges.length >= MIN_TEAMS && otherChanges.length >= MIN_TEAMS) {
    const interval = welchInterval(adopterChanges, otherChanges);
    did = {
      estimate: round2(interval.difference),
      low: round2(interval.low),
      high: round2(interval.high),
      degreesOfFreedom: round2(interval.degreesOfFreedom),
    };
    verdict = interval.high < 0 ? 'improved' : interval.low > 0 ? 'worsened' : 'no-clear-change';
    reason =
      verdict === 'improved'
        ? `adopting teams lose ${round2(-interval.difference)} fewer hours a week than the others changed by (95 % interval ${did.low} to ${did.high})`
        : verdict === 'worsened'
          ? `adopting teams lose ${round2(interval.difference)} more hours a week than the others (95 % interval ${did.low} to ${did.high})`
          : `the 95 % interval ${did.low} to ${did.high} includes no change`;
  }
  return {
    capability: { id: capability.id, title: capability.title },
    shippedOn: shipped.shippedOn.toISOString().slice(0, 10),
    adoptingTeams: shipped.adoptingTeams,
    measure:
      'developer-hours lost per week from tickets (B) and delivery telemetry (ΣT) to the friction points it addresses',
    frictionPoints: points.map((p) => p.id),
    windows: {
      pre: { from: preFrom.toISOString(), to: week0.toISOString() },
      post: { from: postFrom.toISOString(), to: postTo.toISOString() },
    },
    teams: teamImpacts,
    verdict,
    differenceInDifferences: did,
    reason,
    survey: await surveyBeforeAfter(
      ctx,
      points.flatMap((p) => p.surveyHours),
      shipped.shippedOn,
      postFrom,
    ),
  };
}

/** The organisation's published mean hours per addressed category, in the last round before and the first after. */
async function surveyBeforeAfter(
  ctx: FrictionContext,
  categories: string[],
  shippedOn: Date,
  adoptedBy: Date,
): Promise<CapabilityImpact['survey']> {
  const closes = (s: { closes: string }) => Date.parse(`${s.closes}T00:00:00Z`) + DAY_MS;
  const opens = (s: { opens: string }) => Date.parse(`${s.opens}T00:00:00Z`);
  const now = ctx.now().getTime();
  const before = [...ctx.surveys].reverse().find((s) => closes(s) <= shippedOn.getTime());
  const after = ctx.surveys.find((s) => opens(s) >= adoptedBy.getTime() && closes(s) <= now);
  const context = {
    db: ctx.db,
    surveys: ctx.surveys,
    minGroupSize: ctx.org.surveys.minGroupSize,
    hashKey: null,
    now: ctx.now,
  };
  const orgHours = async (id: string | undefined) => {
    if (!id) return null;
    const results = await surveyResults(context, id);
    return results.organization.result.suppressed ? [] : results.organization.result.hoursLost;
  };
  const [was, is] = [await orgHours(before?.id), await orgHours(after?.id)];
  const value = (cells: HoursCell[] | null, category: string) => {
    const cell = cells?.find((c) => c.category === category)?.result;
    return cell && !cell.suppressed ? cell.meanHoursPerWeek : null;
  };
  return {
    before: before?.id ?? null,
    after: after?.id ?? null,
    categories: [...new Set(categories)].map((category) => {
      const b = value(was, category);
      const a = value(is, category);
      return {
        category,
        before: b,
        after: a,
        note:
          !before || !after
            ? 'no closed round on that side'
            : b === null || a === null
              ? 'withheld or not asked'
              : null,
      };
    }),
  };
}
