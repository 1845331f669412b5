'use strict';
// Benchmark fixture, not part of the action: what a user could pick instead of spell-ci, a JavaScript action that
// does the validating main step's work with node's own fetch (mask, GET /v1/users/me, owner check, export).
// bench/action-startup.sh times it beside the action. No npm dependencies; node 18+.
const fs = require('fs');
const crypto = require('crypto');

const env = process.env;
const token = (env.INPUT_TOKEN || '').trim();
const owner = (env.INPUT_OWNER || '').trim();
const api = (env['INPUT_API-URL'] || 'https://api.spell.run').trim().replace(/\/+$/, '');

function fail(message) {
  process.stdout.write(`::error title=Spell credentials::${message}\n`);
  process.exitCode = 1;
}

function append(file, name, value) {
  const delimiter = `ghadelimiter_${crypto.randomUUID()}`;
  fs.appendFileSync(file, `${name}<<${delimiter}\n${value}\n${delimiter}\n`);
}

async function main() {
  process.stdout.write(`::add-mask::${token}\n`);
  if (!token || !owner) return fail('token and owner are required');
  const seconds = Number(env['INPUT_TIMEOUT-SECONDS'] || 60);
  const response = await fetch(`${api}/v1/users/me`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json' },
    signal: AbortSignal.timeout(seconds * 1000),
  });
  if (response.status !== 200) return fail(`the Spell API answered ${response.status}`);
  const user = (await response.json()).user || {};
  const owners = [user.user_name, ...(user.memberships || []).map((m) => m.organization && m.organization.name)];
  if (!user.is_admin && !owners.includes(owner)) return fail(`${user.user_name} may not act for ${owner}`);
  process.stdout.write(`Validated: the token belongs to ${user.user_name}, who may act for ${owner}.\n`);
  append(env.GITHUB_ENV, 'SPELL_TOKEN', token);
  append(env.GITHUB_ENV, 'SPELL_OWNER', owner);
  append(env.GITHUB_ENV, 'SPELL_BASE_URL', api);
  append(env.GITHUB_ENV, 'SPELL_API_URL', api);
  append(env.GITHUB_OUTPUT, 'user-name', user.user_name);
  return undefined;
}

main().catch((e) => fail(`could not reach the Spell API: ${e.message}`));
