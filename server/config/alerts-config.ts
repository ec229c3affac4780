import { validate as isCronExpression } from 'node-cron';
import type {
  AlertChannelConfig,
  AlertMetric,
  AlertRuleConfigFile,
  AlertsConfigFile,
} from './alerts.schema.ts';
import type { ConfigProblem } from './schema-errors.ts';
import { SURVEY_DRIVERS } from '../../scorecards/survey-drivers.ts';

/** One alert rule with its defaults filled in (see README "Alerts" for why each default is what it is). */
export interface AlertRule {
  name: string;
  metric: AlertMetric;
  /** ticketWait: the request category watched; null otherwise. */
  category: string | null;
  /** surveyDriver: the survey driver whose favourable share is watched; null otherwise. */
  driver: string | null;
  /** Team slugs; null: every active team. */
  teams: string[] | null;
  /** surveyDriver rules compare survey rounds, not windows: these are unused there. */
  recentDays: number;
  baselineDays: number;
  minChange: number;
  /** In each window (for surveyDriver: respondents in each round). */
  minSamples: number;
  alpha: number;
  correction: 'benjamini-hochberg' | 'none';
  severity: { warning: number; critical: number };
  /** Channel names notified when it fires. */
  channels: string[];
}

export interface AlertsConfig {
  schedule: string;
  dashboardUrl: string | null;
  rules: AlertRule[];
  channels: AlertChannelConfig[];
}

/** A channel with what the environment gave for it; the URL and the secret are secrets: never log them. */
export interface AlertChannel extends AlertChannelConfig {
  url: string | null;
  secret: string | null;
}

export const DEFAULT_ALERT_SCHEDULE = '0 6 * * *';

/** The rule every organisation gets when `alerts.rules` is not given: lead time, at the defaults. */
export const DEFAULT_LEAD_TIME_RULE = { name: 'lead-time', metric: 'leadTime' } as const;

export interface AlertsContext {
  teamSlugs: ReadonlySet<string>;
  ticketCategories: ReadonlySet<string>;
}

/** Fills in defaults and checks what the schema cannot: known teams, channels and categories, sane severities. */
export function normalizeAlerts(
  file: AlertsConfigFile | undefined,
  context: AlertsContext,
): { alerts: AlertsConfig; problems: ConfigProblem[] } {
  const problems: ConfigProblem[] = [];
  const channels = file?.channels ?? [];
  const channelNames = new Set<string>();
  channels.forEach((channel, i) => {
    const at = `alerts.channels[${i}]`;
    if (channelNames.has(channel.name))
      problems.push({ path: `${at}.name`, message: `"${channel.name}" twice` });
    channelNames.add(channel.name);
    if (channel.type === 'webhook' && !channel.secretEnv) {
      problems.push({
        path: `${at}.secretEnv`,
        message: 'a webhook channel signs its deliveries: name the secret',
      });
    }
    if (channel.type === 'slack' && channel.secretEnv) {
      problems.push({
        path: `${at}.secretEnv`,
        message: 'Slack incoming webhooks are not signed; remove it',
      });
    }
  });
  const schedule = file?.schedule ?? DEFAULT_ALERT_SCHEDULE;
  if (!isCronExpression(schedule)) {
    problems.push({ path: 'alerts.schedule', message: `"${schedule}" is not a cron expression` });
  }
  const ruleNames = new Set<string>();
  const ruleFiles: AlertRuleConfigFile[] = file?.rules ?? [DEFAULT_LEAD_TIME_RULE];
  const rules = ruleFiles.map((rule, i): AlertRule => {
    const at = `alerts.rules[${i}]`;
    if (ruleNames.has(rule.name)) problems.push({ path: `${at}.name`, message: `"${rule.name}" twice` });
    ruleNames.add(rule.name);
    (rule.teams ?? []).forEach((slug, t) => {
      if (!context.teamSlugs.has(slug))
        problems.push({ path: `${at}.teams[${t}]`, message: `no team "${slug}"` });
    });
    (rule.channels ?? []).forEach((name, c) => {
      if (!channelNames.has(name)) {
        problems.push({ path: `${at}.channels[${c}]`, message: `no channel "${name}" in alerts.channels` });
      }
    });
    if (rule.metric === 'ticketWait') {
      if (rule.category === undefined) {
        problems.push({ path: `${at}.category`, message: 'is required with metric: ticketWait' });
      } else if (!context.ticketCategories.has(rule.category)) {
        problems.push({
          path: `${at}.category`,
          message: `no ticket category "${rule.category}"; known: ${[...context.ticketCategories].join(', ')}`,
        });
      }
    } else if (rule.category !== undefined) {
      problems.push({ path: `${at}.category`, message: 'only a ticketWait rule has a category' });
    }
    problems.push(...driverProblems(rule, at));
    const minChange = rule.minChange ?? 0.25;
    const warning = rule.severity?.warning ?? minChange;
    const critical = rule.severity?.critical ?? Math.max(1, warning);
    if (critical < warning) {
      problems.push({
        path: `${at}.severity.critical`,
        message: `must be at least severity.warning (${warning})`,
      });
    }
    if (warning < minChange) {
      problems.push({ path: `${at}.severity.warning`, message: `must be at least minChange (${minChange})` });
    }
    return {
      name: rule.name,
      metric: rule.metric,
      category: rule.category ?? null,
      driver: rule.driver ?? null,
      teams: rule.teams ?? null,
      recentDays: rule.recentDays ?? 14,
      baselineDays: rule.baselineDays ?? 90,
      minChange,
      // Respondents per round for a survey driver: teams answer in the tens, not hundreds; the survey's own
      // minGroupSize withholds smaller groups before any test sees them.
      minSamples: rule.minSamples ?? (rule.metric === 'surveyDriver' ? 5 : 10),
      alpha: rule.alpha ?? 0.05,
      correction: rule.correction ?? 'benjamini-hochberg',
      severity: { warning, critical },
      channels: rule.channels ?? channels.map((channel) => channel.name),
    };
  });
  return {
    alerts: { schedule, dashboardUrl: file?.dashboardUrl?.replace(/\/+$/, '') ?? null, rules, channels },
    problems,
  };
}

/** A surveyDriver rule names a known driver and no windows (it compares rounds); no other rule names one. */
function driverProblems(rule: AlertRuleConfigFile, at: string): ConfigProblem[] {
  if (rule.metric !== 'surveyDriver') {
    return rule.driver === undefined
      ? []
      : [{ path: `${at}.driver`, message: 'only a surveyDriver rule has a driver' }];
  }
  const problems: ConfigProblem[] = [];
  if (rule.driver === undefined) {
    problems.push({ path: `${at}.driver`, message: 'is required with metric: surveyDriver' });
  } else if (!SURVEY_DRIVERS.some((driver) => driver.id === rule.driver)) {
    problems.push({
      path: `${at}.driver`,
      message: `no survey driver "${rule.driver}"; known: ${SURVEY_DRIVERS.map((driver) => driver.id).join(', ')}`,
    });
  }
  for (const key of ['recentDays', 'baselineDays'] as const) {
    if (rule[key] !== undefined) {
      problems.push({
        path: `${at}.${key}`,
        message:
          'a surveyDriver rule compares the latest published survey round with the one before: remove it',
      });
    }
  }
  return problems;
}

/** Each channel's URL and secret from the environment; a missing one is reported when a delivery is tried. */
export function resolveAlertChannels(
  channels: readonly AlertChannelConfig[],
  env: NodeJS.ProcessEnv,
): AlertChannel[] {
  return channels.map((channel) => ({
    ...channel,
    url: env[channel.urlEnv] || null,
    secret: channel.secretEnv ? env[channel.secretEnv] || null : null,
  }));
}
