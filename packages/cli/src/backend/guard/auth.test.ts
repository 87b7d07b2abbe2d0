import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { describe, it } from 'node:test';
import { bearerToken, checkHttpToken, cookieValue, tokenCookie, tokenMatcher } from './auth.ts';
import { queryAuth } from './query-auth.ts';

const TOKEN = 'correct-horse-battery-staple';
const req = (url: string, headers: Record<string, string> = {}) => ({ url, headers }) as unknown as IncomingMessage;

describe('token checks', () => {
  it('match only the exact token, of any length, and never non-strings', () => {
    const matches = tokenMatcher(TOKEN);
    assert.ok(matches(TOKEN));
    for (const wrong of [TOKEN.slice(0, -1), `${TOKEN}x`, TOKEN.toUpperCase(), '', undefined, ['a'], 42]) assert.ok(!matches(wrong));
  });

  it('read Bearer, cookies and the query parameter', () => {
    assert.equal(bearerToken(`Bearer ${TOKEN}`), TOKEN);
    assert.equal(bearerToken(`bearer   ${TOKEN} `), TOKEN);
    assert.equal(bearerToken(`Basic ${TOKEN}`), undefined);
    assert.equal(cookieValue(`a=1; zeroscope_token=${encodeURIComponent('x;y')}`, 'zeroscope_token'), 'x;y');
    assert.equal(cookieValue('zeroscope_token=%E0%A4%A', 'zeroscope_token'), undefined);
    const m = tokenMatcher(TOKEN);
    assert.equal(checkHttpToken(req('/', { 'x-zeroscope-token': TOKEN }), m), 'header');
    assert.equal(checkHttpToken(req('/', { cookie: `zeroscope_token=${TOKEN}` }), m), 'none'); // cookie only for the browser side
    assert.equal(checkHttpToken(req('/', { cookie: `zeroscope_token=${TOKEN}` }), m, { query: new URLSearchParams() }), 'cookie');
  });

  it('sets an HttpOnly SameSite=Strict cookie', () => {
    assert.match(tokenCookie(TOKEN), /^zeroscope_token=correct-horse-battery-staple; Path=\/; HttpOnly; SameSite=Strict$/);
  });
});

describe('queryAuth', () => {
  const decide = queryAuth(TOKEN);

  it('denies without a token, except readiness', () => {
    assert.equal(decide(req('/api/search')).kind, 'deny');
    assert.equal(decide(req('/')).kind, 'deny');
    assert.equal(decide(req('/api/search', { authorization: 'Bearer nope-nope-nope-nope' })).kind, 'deny');
    assert.equal(decide(req('/ready')).kind, 'allow');
  });

  it('allows a header, a cookie, or ?token= on the API', () => {
    assert.equal(decide(req('/api/search', { authorization: `Bearer ${TOKEN}` })).kind, 'allow');
    assert.equal(decide(req('/trace/abc', { cookie: `zeroscope_token=${TOKEN}` })).kind, 'allow');
    assert.equal(decide(req(`/api/search?token=${TOKEN}`)).kind, 'allow');
  });

  it('turns ?token= on a page into a cookie and a redirect without the token', () => {
    const d = decide(req(`/search?q=%7B%7D&token=${TOKEN}`));
    assert.equal(d.kind, 'login');
    assert.ok(d.kind === 'login');
    assert.equal(d.location, '/search?q=%7B%7D');
    assert.match(d.cookie, /HttpOnly/);
    const home = decide(req(`/?token=${TOKEN}`));
    assert.ok(home.kind === 'login' && home.location === '/');
  });

  it('never redirects off the origin (//host and /\\host are other hosts to a browser)', () => {
    for (const path of ['//evil.example/', '/\\evil.example/', '///evil.example/', '/\\/evil.example/']) {
      const d = decide(req(`${path}?token=${TOKEN}`));
      assert.ok(d.kind === 'login');
      assert.equal(d.location, '/evil.example/', path);
    }
  });
});
