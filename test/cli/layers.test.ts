/**
 * The CLI and the local twin are both outer layers: neither imports the other (what both need is in
 * shared/resources), and the CLI builds its SDK clients only through shared/lambda/clients.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): { path: string; text: string }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(ts|mts|mjs|js)$/.test(f))
    .map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') }));
}

const importsOf = (text: string) => [...text.matchAll(/(?:from\s+|import\s*\(\s*)['"]([^'"]+)['"]/g)].map((m) => m[1] ?? '');

describe('layers between cli/, infra/ and shared/', () => {
  it('cli/ imports nothing from infra/', () => {
    const wrong = sources('cli').flatMap(({ path, text }) =>
      importsOf(text)
        .filter((i) => i.startsWith('#twin/') || /(^|\/)infra\//.test(i))
        .map((i) => `${path}: ${i}`),
    );
    expect(wrong).toEqual([]);
  });

  it('infra/ imports nothing from cli/', () => {
    const wrong = sources('infra').flatMap(({ path, text }) =>
      importsOf(text)
        .filter((i) => i.startsWith('#cli/') || /(^|\/)cli\//.test(i))
        .map((i) => `${path}: ${i}`),
    );
    expect(wrong).toEqual([]);
  });

  it('the CLI and the twin build their SDK clients with createAwsClients only', () => {
    const files = [...sources('cli'), { path: 'infra/local/twin.ts', text: readFileSync('infra/local/twin.ts', 'utf8') }];
    const built = files.filter(({ text }) => /new (S3|SQS|DynamoDB)Client\(|DynamoDBDocumentClient\.from\(/.test(text)).map((f) => f.path);
    expect(built).toEqual([]);
  });
});
