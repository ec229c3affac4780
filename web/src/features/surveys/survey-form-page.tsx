import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { PageHeading } from '../../components/page-heading.tsx';
import { ApiView, Empty } from '../../components/status.tsx';
import type { ApiError } from '../../lib/api-client.ts';
import { Link, useLocation } from '../../lib/router.tsx';
import { useApi } from '../../lib/use-api.ts';
import { formAnswers } from './survey-form.ts';
import type { FormValues } from './survey-form.ts';
import { submitSurveyResponse, surveyUrl } from './surveys.api.ts';
import type { SurveyDefinition, SurveyQuestion } from './surveys.types.ts';

const LIKERT = ['Strongly disagree', 'Disagree', 'Neither agree nor disagree', 'Agree', 'Strongly agree'];

/**
 * `/surveys/:id?token=…&team=…`: the public form. No login: the one-time link names the respondent's team
 * (the server holds it to the link's team); only a survey with an open form lets them pick one. Every
 * question may be skipped.
 */
export default function SurveyFormPage({ id }: { id: string }) {
  const survey = useApi<SurveyDefinition>(surveyUrl(id));
  const search = useLocation().search;
  const token = search.get('token') ?? undefined;
  const linkTeam = search.get('team') ?? undefined;
  useEffect(() => {
    document.title = `Survey · ${id} · Groundwork`;
  }, [id]);
  return (
    <ApiView state={survey} what="the survey">
      {(definition) => <SurveyForm definition={definition} token={token} linkTeam={linkTeam} />}
    </ApiView>
  );
}

function SurveyForm({
  definition,
  token,
  linkTeam,
}: {
  definition: SurveyDefinition;
  token: string | undefined;
  linkTeam: string | undefined;
}) {
  const [team, setTeam] = useState('');
  const fixedTeam = token ? definition.teams.find((option) => option.slug === linkTeam) : undefined;
  const [values, setValues] = useState<FormValues>({});
  const [state, setState] = useState<
    { kind: 'editing' | 'sending' | 'sent' } | { kind: 'failed'; error: ApiError | Error }
  >({
    kind: 'editing',
  });
  const set = (key: string, value: string | string[]) =>
    setValues((current) => ({ ...current, [key]: value }));

  if (state.kind === 'sent') {
    return (
      <>
        <PageHeading>Thank you</PageHeading>
        <p role="status">Your answers were recorded for your team, without your name.</p>
        <p>
          <Link href={`/surveys/${encodeURIComponent(definition.id)}/results`}>See the results so far</Link>
        </p>
      </>
    );
  }
  if (definition.teams.length === 0) {
    return (
      <>
        <PageHeading>{definition.title}</PageHeading>
        <Empty>No teams are configured yet, so there is no team to answer for.</Empty>
      </>
    );
  }
  const closed = definition.status !== 'open';
  const needsLink = definition.oneResponsePerLink && !token;
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setState({ kind: 'sending' });
    submitSurveyResponse(definition.id, {
      answers: formAnswers(definition.questions, values),
      ...(token ? { token } : { team }),
    }).then(
      () => setState({ kind: 'sent' }),
      (error: unknown) =>
        setState({ kind: 'failed', error: error instanceof Error ? error : new Error(String(error)) }),
    );
  };
  return (
    <>
      <PageHeading>{definition.title}</PageHeading>
      <p className="lede">
        Anonymous: no name or e-mail is asked or stored, and results for a group of fewer than five are never
        shown. Skip any question you like.
      </p>
      {closed ? (
        <p className="status status-empty">
          This survey is {definition.status} ({definition.opens} to {definition.closes}).
        </p>
      ) : null}
      {needsLink ? (
        <p className="status status-empty">
          This survey is answered through the personal link you were sent for your team.
        </p>
      ) : null}
      <form className="survey-form" onSubmit={onSubmit}>
        {token ? (
          <p className="survey-question">
            Answering for team <strong>{fixedTeam?.name ?? linkTeam ?? 'of your link'}</strong>
          </p>
        ) : (
          <label className="survey-question">
            <span>Your team</span>
            <select required value={team} onChange={(event) => setTeam(event.target.value)}>
              <option value="">Pick your team</option>
              {definition.teams.map((option) => (
                <option key={option.slug} value={option.slug}>
                  {option.name}
                </option>
              ))}
            </select>
          </label>
        )}
        {definition.questions.map((question) => (
          <Question
            key={question.key}
            question={question}
            value={values[question.key]}
            onChange={(v) => set(question.key, v)}
          />
        ))}
        {state.kind === 'failed' ? (
          <div className="status status-error" role="alert">
            <strong>Not sent.</strong> {state.error.message}
          </div>
        ) : null}
        <button type="submit" disabled={closed || needsLink || state.kind === 'sending'}>
          {state.kind === 'sending' ? 'Sending…' : 'Send my answers'}
        </button>
      </form>
    </>
  );
}

function Question({
  question,
  value,
  onChange,
}: {
  question: SurveyQuestion;
  value: string | string[] | undefined;
  onChange: (value: string | string[]) => void;
}) {
  const name = `q-${question.key}`;
  if (question.kind === 'likert' || question.kind === 'single-choice') {
    const choices =
      question.kind === 'likert'
        ? LIKERT.map((label, index) => ({ key: String(index + 1), label }))
        : (question.options ?? []);
    return (
      <fieldset className="survey-question">
        <legend>{question.text}</legend>
        {choices.map((choice) => (
          <label key={choice.key} className="survey-choice">
            <input
              type="radio"
              name={name}
              value={choice.key}
              checked={value === choice.key}
              onChange={() => onChange(choice.key)}
            />{' '}
            {choice.label}
          </label>
        ))}
      </fieldset>
    );
  }
  if (question.kind === 'multiple-choice') {
    const chosen = Array.isArray(value) ? value : [];
    return (
      <fieldset className="survey-question">
        <legend>{question.text}</legend>
        {(question.options ?? []).map((option) => (
          <label key={option.key} className="survey-choice">
            <input
              type="checkbox"
              name={name}
              checked={chosen.includes(option.key)}
              onChange={(event) =>
                onChange(
                  event.target.checked ? [...chosen, option.key] : chosen.filter((key) => key !== option.key),
                )
              }
            />{' '}
            {option.label}
          </label>
        ))}
      </fieldset>
    );
  }
  return (
    <label className="survey-question">
      <span>{question.text}</span>
      {question.kind === 'hours' ? (
        <input
          type="number"
          min={0}
          max={40}
          step={0.5}
          inputMode="decimal"
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value)}
        />
      ) : (
        <textarea
          rows={4}
          maxLength={4000}
          value={typeof value === 'string' ? value : ''}
          onChange={(event) => onChange(event.target.value)}
        />
      )}
    </label>
  );
}
