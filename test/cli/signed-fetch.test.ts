/**
 * Signing requests to the cloud API: the SHA-256 the signer is given reproduces AWS's own SigV4
 * test vector, and a signed request carries the signature SigV4 defines for execute-api,
 * recomputed here from the specification with node:crypto.
 */
import { createHash, createHmac } from 'node:crypto';
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signApiRequest, signedFetch } from '#cli/signed-fetch.ts';

// The example credentials of AWS's Signature Version 4 test suite.
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const signingDate = new Date('2015-08-30T12:36:00Z');

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const hmac = (key: string | Buffer, text: string) => createHmac('sha256', key).update(text).digest();

describe('signing the CLI’s API requests', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('reproduces the get-vanilla vector of the SigV4 test suite with @aws-crypto/sha256-js', async () => {
    const signer = new SignatureV4({ service: 'service', region: 'us-east-1', credentials, sha256: Sha256, applyChecksum: false });

    const signed = await signer.sign(
      { method: 'GET', protocol: 'https:', hostname: 'example.amazonaws.com', path: '/', headers: { host: 'example.amazonaws.com' } },
      { signingDate },
    );

    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31',
    );
  });

  it('signs method, path, query, headers and body for execute-api as SigV4 defines it', async () => {
    // Prepare
    const url = new URL('https://abc123.execute-api.cn-north-1.amazonaws.com.cn/prod/late?scope=city%3A%E5%8D%97%E6%98%8C&period=2026-01');
    const body = JSON.stringify({ outcome: 'accept' });
    const headers = { 'content-type': 'application/json', host: url.host };

    // Act
    const signed = await signApiRequest(url, { method: 'POST', body }, headers, { credentials, region: 'cn-north-1', signingDate });

    // Assess: recompute from the specification.
    const amzDate = '20150830T123600Z';
    const scope = '20150830/cn-north-1/execute-api/aws4_request';
    const signedHeaders = 'content-type;host;x-amz-content-sha256;x-amz-date';
    const canonicalHeaders = `content-type:application/json\nhost:${url.host}\nx-amz-content-sha256:${sha256(body)}\nx-amz-date:${amzDate}\n`;
    const canonicalQuery = 'period=2026-01&scope=city%3A%E5%8D%97%E6%98%8C';
    const canonicalRequest = ['POST', '/prod/late', canonicalQuery, canonicalHeaders, signedHeaders, sha256(body)].join('\n');
    const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256(canonicalRequest)].join('\n');
    let key = hmac(`AWS4${credentials.secretAccessKey}`, '20150830');
    for (const part of ['cn-north-1', 'execute-api', 'aws4_request']) key = hmac(key, part);
    const signature = createHmac('sha256', key).update(stringToSign).digest('hex');
    expect(signed.authorization).toBe(`AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`);
    expect(signed['x-amz-date']).toBe(amzDate);
  });

  it('sends twin requests unsigned, with the JSON content type', async () => {
    const fetched = vi.fn(async () => new Response('{}'));
    vi.stubGlobal('fetch', fetched);

    await signedFetch({ target: 'twin' }, new URL('http://127.0.0.1:4010/receipt-key'), { method: 'GET' });

    expect(fetched).toHaveBeenCalledWith(new URL('http://127.0.0.1:4010/receipt-key'), {
      method: 'GET',
      headers: { 'content-type': 'application/json', host: '127.0.0.1:4010' },
    });
  });
});
