import { describe, expect, it } from '@jest/globals';
import { DEMO_DATA_VERSION, markerVersion } from './demo-data.js';

describe('the demo-data marker', () => {
  it('reads the version it records', () => {
    expect(markerVersion(`version ${DEMO_DATA_VERSION}\n2026-12-04T00:00:00.000Z\n`)).toBe(
      DEMO_DATA_VERSION,
    );
  });

  it('takes a marker from before versions (a date alone) as version 1, so it is reloaded', () => {
    expect(markerVersion('2026-11-21T05:16:42.000Z\n')).toBe(1);
    expect(markerVersion('2026-11-21T05:16:42.000Z\n')).toBeLessThan(DEMO_DATA_VERSION);
  });
});
