import type { AlertMetric } from '../config/alerts.schema.ts';
import type { AlertSeverity } from '../db/tables.ts';
import { METRIC_KINDS } from './alert-types.ts';
import type { Drivers, Figures, WindowFigures } from './alert-types.ts';
import { formatChange, formatValue } from './lifecycle.ts';

export type NotificationKind = 'fired' | 'escalated' | 'resolved' | 'test';

/** What a notification says, whatever the channel: the generic webhook sends it as it is. */
export interface AlertMessage {
  kind: NotificationKind;
  alertId: number | null;
  rule: string;
  metric: AlertMetric;
  team: { slug: string; name: string };
  severity: AlertSeverity;
  /** The figures of the window it fired on (or was last evaluated on, for a resolution). */
  figures: Figures;
  drivers: Drivers;
  summary: string;
  /** `surveyResults`: surveyDriver only, the published results of the latest round. */
  links: { alert: string; team: string; samples: string | null; surveyResults?: string };
}

export const METRIC_TITLES: Record<AlertMetric, string> = {
  leadTime: 'Lead time',
  deploymentFrequency: 'Deployment frequency',
  changeFailureRate: 'Change failure rate',
  recoveryTime: 'Recovery time',
  ticketWait: 'Ticket wait',
  surveyDriver: 'Survey favourable share',
};

const SAMPLE_METRIC: Partial<Record<AlertMetric, string>> = {
  leadTime: 'leadTime',
  deploymentFrequency: 'deploymentFrequency',
  changeFailureRate: 'changeFailureRate',
  recoveryTime: 'recoveryTime',
};

export function alertLinks(
  baseUrl: string,
  alertId: number | null,
  team: string,
  metric: AlertMetric,
  window: Pick<WindowFigures, 'from' | 'to' | 'round'>,
): AlertMessage['links'] {
  const sampleMetric = SAMPLE_METRIC[metric];
  const query = new URLSearchParams({ from: window.from, to: window.to });
  return {
    ...(window.round
      ? { surveyResults: `${baseUrl}/surveys/${encodeURIComponent(window.round.surveyId)}/results` }
      : {}),
    alert: `${baseUrl}/alerts${alertId === null ? '' : `#alert-${alertId}`}`,
    team: `${baseUrl}/teams/${encodeURIComponent(team)}`,
    samples: sampleMetric
      ? `${baseUrl}/api/v1/teams/${encodeURIComponent(team)}/metrics/${sampleMetric}/samples?${query.toString()}`
      : null,
  };
}

/** What an alert watches: the metric, or the survey driver whose favourable share it is. */
export function metricTitle(message: Pick<AlertMessage, 'metric' | 'drivers'>): string {
  const survey = message.drivers.survey;
  return survey ? `Favourable share of ${survey.title}` : METRIC_TITLES[message.metric];
}

/** Baseline → current; for a survey driver, each round with its respondents. */
function figuresText(message: Pick<AlertMessage, 'metric' | 'figures'>): string {
  const kind = METRIC_KINDS[message.metric];
  const side = (window: WindowFigures) =>
    window.round
      ? `${formatValue(kind, window.value)} in ${window.round.quarter}${window.value === null ? '' : ` (${window.samples} respondents)`}`
      : formatValue(kind, window.value);
  return `${side(message.figures.baseline)} → ${side(message.figures.recent)}`;
}

export function summarize(message: Omit<AlertMessage, 'summary'>): string {
  const kind = METRIC_KINDS[message.metric];
  const what = `${metricTitle(message)} for ${message.team.name}`;
  const figures = `${figuresText(message)} (${formatChange(message.figures.change, kind)})`;
  switch (message.kind) {
    case 'fired':
      return `${what} ${kind === 'share' ? 'dropped' : 'regressed'} (${message.severity}): ${figures}`;
    case 'escalated':
      return `${what} got worse (now ${message.severity}): ${figures}`;
    case 'resolved':
      return `${what} is back within the threshold: ${figures}`;
    case 'test':
      return `Test message from Groundwork: ${what} would read ${figures}`;
  }
}

/** Slack's mrkdwn treats &, < and > as control characters. */
const escapeSlack = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** A Slack incoming-webhook body in Block Kit: team, metric, baseline → current, change, top changes, link. */
export function slackBody(message: AlertMessage): Record<string, unknown> {
  const kind = METRIC_KINDS[message.metric];
  const field = (title: string, value: string) => ({
    type: 'mrkdwn',
    text: `*${title}*\n${escapeSlack(value)}`,
  });
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: message.summary.slice(0, 150) } },
    {
      type: 'section',
      fields: [
        field('Team', message.team.name),
        field('Metric', `${metricTitle(message)} (rule ${message.rule})`),
        field(kind === 'share' ? 'Previous round → latest' : 'Baseline → current', figuresText(message)),
        field(
          'Change',
          `${formatChange(message.figures.change, kind)} · ${message.severity}${message.figures.qValue === null ? '' : ` · q = ${message.figures.qValue.toPrecision(2)}`}`,
        ),
      ],
    },
  ];
  if (message.drivers.top.length > 0) {
    const lines = message.drivers.top.map(
      (row) => `• ${escapeSlack(row.label)}: ${formatValue(kind, row.value)}`,
    );
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: `*Top contributing changes*\n${lines.join('\n')}` },
    });
  }
  if (message.drivers.stage) {
    const stage = message.drivers.stage;
    blocks.push({
      type: 'context',
      elements: [
        {
          type: 'mrkdwn',
          text: `Stage that moved: ${stage.name} ${stage.baselineHours.toFixed(1)} h → ${stage.recentHours.toFixed(1)} h`,
        },
      ],
    });
  }
  blocks.push({
    type: 'actions',
    elements: [
      { type: 'button', text: { type: 'plain_text', text: 'Open in Groundwork' }, url: message.links.alert },
      { type: 'button', text: { type: 'plain_text', text: 'Team page' }, url: message.links.team },
      ...(message.links.surveyResults
        ? [
            {
              type: 'button',
              text: { type: 'plain_text', text: 'Survey results' },
              url: message.links.surveyResults,
            },
          ]
        : []),
    ],
  });
  return { text: message.summary, blocks };
}
