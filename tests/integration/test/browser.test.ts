import { seedDemoData as seedMembers } from '@hub/members';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  type HeadlessChromium,
  launchChromium,
  type PageServer,
  servePage,
} from './support/browser.js';
import { type HubStack, startHub } from './support/hub.js';

// A front end on another origin, in a real browser: headless Chromium loads a page from a web
// server of its own, and the page's script signs in and queries through the gateway with
// fetch — preflight, CORS headers and all. A page on an origin the gateway does not allow is
// refused by the browser itself.

// The demo member (README) and what the page asks. The operations are the page's only GraphQL:
// when the API changes, change them here.
const DEMO_MEMBER = { email: 'misaki@demo.coworking-hub.example', password: 'coworking-demo-2026' };
const SIGN_IN = `mutation SignIn($input: SignInInput!) {
  signIn(input: $input) { __typename ... on SignInSuccess { session { accessToken } } }
}`;
const SIGN_IN_VARIABLES = { input: DEMO_MEMBER };
const ACCESS_TOKEN_OF = '(body) => body.data.signIn.session.accessToken';
const ME = '{ me { displayName } }';

const PAGE = `<!doctype html>
<meta charset="utf-8">
<title>パートナーのページ (a partner's page)</title>
<pre id="result"></pre>
<script>
  const gateway = new URL(location.href).searchParams.get('gateway');
  const accessTokenOf = ${ACCESS_TOKEN_OF};
  async function graphql(query, variables, headers = {}) {
    const requestId = 'page-' + Math.random().toString(36).slice(2);
    const response = await fetch(gateway, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': requestId, ...headers },
      body: JSON.stringify({ query, variables }),
    });
    return {
      status: response.status,
      contentType: response.headers.get('content-type'),
      sentRequestId: requestId,
      requestId: response.headers.get('x-request-id'),
      rateLimitRemaining: response.headers.get('ratelimit-remaining'),
      body: await response.json(),
    };
  }
  (async () => {
    const result = {};
    try {
      result.signIn = await graphql(${JSON.stringify(SIGN_IN)}, ${JSON.stringify(SIGN_IN_VARIABLES)});
      const token = accessTokenOf(result.signIn.body);
      result.me = await graphql(${JSON.stringify(ME)}, {}, { authorization: 'Bearer ' + token });
      result.badToken = await graphql(${JSON.stringify(ME)}, {}, { authorization: 'Bearer nope' });
    } catch (error) {
      result.error = String(error);
    }
    const out = document.getElementById('result');
    out.textContent = JSON.stringify(result);
    out.dataset.done = 'yes';
  })();
</script>
`;

type Answer = {
  status: number;
  contentType: string | null;
  sentRequestId: string;
  requestId: string | null;
  rateLimitRemaining: string | null;
  body: {
    data?: Record<string, unknown> | null;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
};
type PageResult = { signIn?: Answer; me?: Answer; badToken?: Answer; error?: string };

let allowedSite: PageServer;
let otherSite: PageServer;
let hub: HubStack;
let browser: HeadlessChromium;

beforeAll(async () => {
  [allowedSite, otherSite] = await Promise.all([servePage(PAGE), servePage(PAGE)]);
  hub = await startHub({
    services: ['members', 'spaces'],
    gatewayOptions: {
      // One origin exactly, and every port of localhost: what `npm start` allows by default.
      corsAllowedOrigins: [`http://127.0.0.1:${allowedSite.port}`, 'http://localhost:*'],
    },
  });
  await seedMembers({ databaseUrl: hub.services.members!.databaseUrl });
  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await hub?.stop();
  await Promise.all([allowedSite?.close(), otherSite?.close()]);
});

/** Opens the page at `origin` and waits for its script to finish. */
async function runPage(origin: string): Promise<PageResult> {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${origin}/?gateway=${encodeURIComponent(hub.gatewayUrl!)}`);
    const result = page.locator('#result[data-done]');
    await result.waitFor({ state: 'attached', timeout: 20_000 });
    return JSON.parse((await result.textContent()) ?? '{}') as PageResult;
  } finally {
    await page.close();
  }
}

describe('a web page on another origin', () => {
  it.each([
    ['an origin listed exactly', () => `http://127.0.0.1:${allowedSite.port}`],
    ['localhost on any port', () => `http://localhost:${otherSite.port}`],
  ])(
    'on %s signs in and queries through the gateway',
    async (_case, originOf) => {
      const result = await runPage(originOf());

      expect(result.error).toBeUndefined();
      expect(result.signIn?.status).toBe(200);
      expect(result.me).toMatchObject({
        status: 200,
        contentType: 'application/graphql-response+json; charset=utf-8',
        body: { data: { me: { displayName: '佐藤 美咲' } } },
      });
      // The page may send its own request id and read the exposed headers.
      expect(result.me?.requestId).toBe(result.me?.sentRequestId);
      expect(result.me?.rateLimitRemaining).toMatch(/^\d+$/);
      // A refusal reaches the page's script as a GraphQL error with its code.
      expect(result.badToken).toMatchObject({
        status: 401,
        body: { errors: [{ extensions: { code: 'UNAUTHENTICATED' } }] },
      });
    },
    60_000,
  );

  it('on an origin the gateway does not allow is refused by the browser', async () => {
    const result = await runPage(`http://127.0.0.1:${otherSite.port}`);

    // The preflight got a 403 without Access-Control-Allow-Origin: fetch fails, the page never
    // sees an answer, and the sign-in was never sent.
    expect(result).toEqual({ error: 'TypeError: Failed to fetch' });
  }, 60_000);
});
