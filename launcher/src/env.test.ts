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
