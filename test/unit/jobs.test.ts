import { randomUUID } from 'node:crypto';
import { parseJob, UnknownJobError } from '../../lambdas/domain/jobs';

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

  it.each(['export', 'access', 'erasure'])('parses a %s job carrying a request id only', (kind) => {
    const requestId = randomUUID();
    expect(parseJob(JSON.stringify({ kind, requestId }))).toEqual({ kind, requestId });
    expect(() => parseJob(JSON.stringify({ kind, requestId, email: 'a@b.example' }))).toThrow(UnknownJobError);
    expect(() => parseJob(JSON.stringify({ kind, requestId: 'not-a-uuid' }))).toThrow(UnknownJobError);
  });
});
