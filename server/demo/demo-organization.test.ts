import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizeOrganization } from '#config/config.ts';
import { demoOrganization, demoTeamArchetype, demoTeamSlugs } from './demo-organization.ts';

test('the demo organisation is a valid configuration for every size from 1 to 200 teams', () => {
  for (let teams = 1; teams <= 200; teams++) {
    const org = normalizeOrganization(demoOrganization(teams), 'demo');
    assert.equal(org.teams.length, teams);
  }
});

test('it defaults to eight teams of acme deploying to production', () => {
  const config = demoOrganization();
  assert.equal(config.organization, 'acme');
  assert.deepEqual(config.productionEnvironments, ['production']);
  assert.deepEqual(
    config.teams.map((team) => team.slug),
    ['payments', 'checkout', 'search', 'identity', 'mobile-app', 'data-platform', 'notifications', 'growth'],
  );
});

test('teams after the twelfth are generated as team-013 …, and no name is used twice', () => {
  const config = demoOrganization(200);
  assert.equal(config.teams[12]?.slug, 'team-013');
  assert.equal(config.teams[12]?.name, 'Team 013');
  assert.equal(config.teams[199]?.slug, 'team-200');
  assert.equal(new Set(config.teams.map((team) => team.name)).size, 200);
  assert.deepEqual(demoTeamSlugs(3), ['payments', 'checkout', 'search']);
});

test('each team owns 1–3 exact lower-case repositories, 1–2 services and has 4–9 members', () => {
  const org = normalizeOrganization(demoOrganization(200), 'demo');
  for (const team of org.teams) {
    assert.ok(team.repositories.length >= 1 && team.repositories.length <= 3, team.slug);
    assert.ok(team.services.length >= 1 && team.services.length <= 2, team.slug);
    assert.ok(team.members.length >= 4 && team.members.length <= 9, team.slug);
    for (const { pattern } of team.repositories)
      assert.match(pattern, new RegExp(`^acme/${team.slug}-[a-z]+$`));
  }
  const payments = org.teams[0];
  assert.deepEqual(
    payments?.repositories.map((claim) => claim.pattern),
    ['acme/payments-api', 'acme/payments-web', 'acme/payments-ledger'],
  );
  // Every third member (index 2, 5, 8) is listed with Jira and e-mail identities too.
  assert.deepEqual(payments?.members[2], {
    key: 'github:dev-payments-3',
    github: 'dev-payments-3',
    jira: 'jira-payments-3',
    email: 'dev-payments-3@acme.example',
    effectiveFrom: null,
  });
  assert.equal(payments?.members[0]?.jira, null);
});

test('the first four teams carry the showcase archetypes, every other team is steady', () => {
  const slugs = demoTeamSlugs(14);
  assert.deepEqual(slugs.slice(0, 5).map(demoTeamArchetype), [
    'elite',
    'unreliable-pipeline',
    'regressed',
    'waiting-on-ops',
    'steady',
  ]);
  assert.equal(demoTeamArchetype('team-014'), 'steady');
  assert.equal(demoTeamArchetype('not-a-demo-team'), 'steady');
});

test('a team count outside 1–999 is refused', () => {
  assert.throws(() => demoOrganization(0), RangeError);
  assert.throws(() => demoOrganization(1000), RangeError);
  assert.throws(() => demoOrganization(2.5), RangeError);
});
