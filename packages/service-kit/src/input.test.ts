import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { AppError } from './errors.js';
import { httpUrl, parseInput } from './input.js';

const ZLink = z.object({ websiteUrl: httpUrl().nullish() });

describe('httpUrl', () => {
  it.each([
    'https://example.jp/',
    'http://example.jp/path?q=1#top',
    'https://例え.jp/',
    'http://127.0.0.1:8080/',
  ])('accepts the absolute http(s) URL %s', (url) => {
    expect(parseInput(ZLink, { websiteUrl: url })).toEqual({ websiteUrl: url });
  });

  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'ftp://example.jp/',
    'mailto:someone@example.jp',
    '/relative/path',
    'example.jp',
    'not a url',
    '',
  ])('refuses %j as BAD_USER_INPUT naming the field', (url) => {
    let error: unknown;
    try {
      parseInput(ZLink, { websiteUrl: url });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'BAD_USER_INPUT', details: { field: 'websiteUrl' } });
    expect((error as AppError).message).toContain('http: または https:');
    expect((error as AppError).message).toContain('must be an absolute http: or https: URL');
  });
});
