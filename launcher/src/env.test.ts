import { describe, expect, it } from '@jest/globals';
import { debugErrorsOf, ZLauncherEnv } from './env.js';

describe('error details of `npm start`', () => {
  it('are masked by default', () => {
    expect(debugErrorsOf(ZLauncherEnv.parse({}))).toEqual({ debugErrors: false, isRefused: false });
  });

  it('are shown when HUB_DEBUG asks on a loopback HOST', () => {
    expect(debugErrorsOf(ZLauncherEnv.parse({ HUB_DEBUG: '1' }))).toEqual({
      debugErrors: true,
      isRefused: false,
    });
  });

  it('are refused when the hub listens beyond loopback', () => {
    expect(debugErrorsOf(ZLauncherEnv.parse({ HUB_DEBUG: 'true', HOST: '0.0.0.0' }))).toEqual({
      debugErrors: false,
      isRefused: true,
    });
  });
});

describe('cross-origin pages under `npm start`', () => {
  it('are allowed from this machine on any port by default', () => {
    expect(ZLauncherEnv.parse({}).CORS_ALLOWED_ORIGINS).toEqual([
      'http://localhost:*',
      'http://127.0.0.1:*',
      'http://[::1]:*',
    ]);
  });

  it('follow CORS_ALLOWED_ORIGINS when it is set, and none when it is empty', () => {
    expect(
      ZLauncherEnv.parse({ CORS_ALLOWED_ORIGINS: 'https://app.example.jp, http://localhost:5173' })
        .CORS_ALLOWED_ORIGINS,
    ).toEqual(['https://app.example.jp', 'http://localhost:5173']);
    expect(ZLauncherEnv.parse({ CORS_ALLOWED_ORIGINS: '' }).CORS_ALLOWED_ORIGINS).toEqual([]);
  });
});
