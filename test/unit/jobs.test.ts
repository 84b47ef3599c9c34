import { randomUUID } from 'node:crypto';
import { parseJob, runJob, UnknownJobError } from '../../lambdas/domain/jobs';

describe('rights jobs', () => {
  it('parses a probe job', () => {
    const probeId = randomUUID();
    expect(parseJob(JSON.stringify({ kind: 'probe', probeId }))).toEqual({ kind: 'probe', probeId });
  });

  it.each(['not json', '{}', '{"kind":"probe"}', '{"kind":"nuke"}', JSON.stringify({ kind: 'probe', probeId: randomUUID(), x: 1 })])(
    'refuses %s',
    (body) => {
      expect(() => parseJob(body)).toThrow(UnknownJobError);
    },
  );

  it('runs a probe job without side effects', async () => {
    await expect(runJob({ kind: 'probe', probeId: randomUUID() })).resolves.toEqual({ kind: 'probe', done: true });
  });
});
