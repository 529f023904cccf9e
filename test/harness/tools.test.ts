import { describe, expect, it } from 'vitest';
import { decideToolRequirement, hasTool } from './tools.js';

describe('tool requirements', () => {
  it('finds executables on PATH and not made-up names', () => {
    expect(hasTool('node')).toBe(true);
    expect(hasTool('airlock-no-such-tool-9f3c')).toBe(false);
  });

  it('runs when nothing is missing, in CI or not', () => {
    expect(decideToolRequirement([], {})).toEqual({ action: 'run' });
    expect(decideToolRequirement([], { CI: 'true' })).toEqual({ action: 'run' });
  });

  it('skips outside CI with the package to install', () => {
    expect(decideToolRequirement(['docker-registry', 'htpasswd'], {})).toEqual({
      action: 'skip',
      message:
        'skipped: needs docker-registry (apt-get install docker-registry), htpasswd (apt-get install apache2-utils)',
    });
    expect(decideToolRequirement(['skopeo'], { CI: 'false' }).action).toBe('skip');
  });

  it('fails in CI instead of passing silently', () => {
    const decision = decideToolRequirement(['skopeo'], { CI: 'true' });
    expect(decision.action).toBe('fail');
    expect(decision).toMatchObject({ message: expect.stringContaining('skopeo (apt-get install skopeo)') });
  });
});
