/**
 * The README's route table is the API's contract for people: it must name every route of
 * shared/resources/api-routes.ts, with exactly the roles the route table admits, and no other.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { API_ROUTES, routeKeyOf } from '#resources/api-routes.ts';

const README = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = README.slice(README.indexOf('### The API, route by route'), README.indexOf('Examples (the twin'));
const rows = new Map([...section.matchAll(/^\| `((?:GET|POST) [^`]+)` \| ([^|]+) \|/gm)].map((m) => [m[1] as string, (m[2] as string).trim()]));
const ROLE_WORDS = { enterprise: 'enterprise', reviewer: 'reviewer', department: 'department', administrator: 'administrator' } as const;

describe("the README's route table", () => {
  it('lists every route and no other', () => {
    expect([...rows.keys()].sort()).toEqual(
      API_ROUTES.filter((r) => r.people.length > 0)
        .map(routeKeyOf)
        .sort(),
    );
  });

  it.each(API_ROUTES.filter((r) => r.people.length > 0).map((r) => [routeKeyOf(r), r] as const))('names the roles of %s', (key, route) => {
    const who = rows.get(key) ?? '';
    const named = who === 'everyone' ? Object.keys(ROLE_WORDS) : Object.keys(ROLE_WORDS).filter((role) => who.includes(role));
    expect(named.sort()).toEqual([...route.people].sort());
  });
});
