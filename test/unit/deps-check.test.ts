/**
 * The comparison behind `npm run deps:check`, over fixed registry metadata (the registry itself is only asked by the
 * command). The committed deps-exceptions.json is checked for form too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assessDependencies, lagOf, latestUrl, parseExceptions } from '../../cli/deps-check';

describe('lagOf', () => {
  it.each([
    ['1.2.3', '1.2.3', 'current'],
    ['1.2.3', '1.2.4', 'patch'],
    ['1.2.3', '1.3.0', 'minor'],
    ['1.2.3', '2.0.0', 'major'],
    ['14.0.3', '15.1.0', 'major'],
    // in 0.x a minor step is breaking (caret ranges treat it so), and in 0.0.x every step is
    ['0.4.1', '0.5.0', 'major'],
    ['0.4.1', '0.4.2', 'patch'],
    ['0.0.1', '0.0.2', 'major'],
    // a pre-release or build suffix is ignored; an installed version newer than "latest" is not behind
    ['2.0.0-rc.1', '2.0.0', 'current'],
    ['3.1.0', '3.0.9', 'current'],
    ['v1.0.0', '1.0.1', 'patch'],
  ])('%s → %s is %s', (installed, latest, lag) => {
    expect(lagOf(installed, latest)).toBe(lag);
  });

  it('refuses something that is not a version', () => {
    expect(() => lagOf('latest', '1.0.0')).toThrow('not a version: latest');
  });
});

describe('assessDependencies', () => {
  const dependencies = { commander: '^14.0.3', zod: '^4.6.7', jose: '^6.2.18', 'cdk-nag': '^3.0.2', '@aws-sdk/client-sqs': '^3.1175.0' };
  const installed = { commander: '14.0.3', zod: '4.6.7', jose: '6.2.18', 'cdk-nag': '3.0.2', '@aws-sdk/client-sqs': '3.1175.0' };
  const latest = {
    commander: { version: '15.1.0', node: '>=22.12.0' },
    zod: { version: '4.6.7' },
    jose: { version: '7.0.0' },
    'cdk-nag': { version: '3.0.5' },
    '@aws-sdk/client-sqs': { version: '3.1180.0', node: '>=20' },
  };

  it('lists what is behind, majors first, and fails on a major lag without a reason', () => {
    const report = assessDependencies(dependencies, installed, latest, { commander: '15 needs Node 22; we run Node 20' });
    expect(report.behind.map((s) => [s.name, s.lag, s.failing])).toEqual([
      ['commander', 'major', false],
      ['jose', 'major', true],
      ['@aws-sdk/client-sqs', 'minor', false],
      ['cdk-nag', 'patch', false],
    ]);
    expect(report.failing.map((s) => s.name)).toEqual(['jose']);
    expect(report.behind[0]).toMatchObject({ installed: '14.0.3', latest: '15.1.0', latestNode: '>=22.12.0', reason: '15 needs Node 22; we run Node 20' });
    expect(report.unusedExceptions).toEqual([]);
  });

  it('passes when every major lag has a reason; a reason never attaches to a minor lag', () => {
    const report = assessDependencies(dependencies, installed, latest, {
      commander: 'needs Node 22.12',
      jose: 'v7 drops the key format we store',
      'cdk-nag': 'would be ignored',
    });
    expect(report.failing).toEqual([]);
    expect(report.behind.find((s) => s.name === 'cdk-nag')!.reason).toBeUndefined();
    // A reason for something not (or no longer) a major version behind is reported, so it gets deleted.
    expect(report.unusedExceptions).toEqual(['cdk-nag']);
  });

  it('does not call a reason for an unchecked dev dependency unused, but does for an unknown package', () => {
    const report = assessDependencies(dependencies, installed, latest, { commander: 'x', jose: 'y', fauxqs: 'node 22', leftpad: 'gone' }, new Set([...Object.keys(dependencies), 'fauxqs']));
    expect(report.unusedExceptions).toEqual(['leftpad']);
  });

  it('an up-to-date set reports nothing', () => {
    const report = assessDependencies({ zod: '^4' }, { zod: '4.6.7' }, { zod: { version: '4.6.7' } }, {});
    expect(report).toEqual({ behind: [], failing: [], unusedExceptions: [] });
  });

  it('says which package is missing an install or a registry answer', () => {
    expect(() => assessDependencies({ zod: '^4' }, {}, { zod: { version: '4.0.0' } }, {})).toThrow('zod is not installed');
    expect(() => assessDependencies({ zod: '^4' }, { zod: '4.0.0' }, {}, {})).toThrow('no registry answer for zod');
  });
});

describe('parseExceptions', () => {
  it('reads package → reason, skipping $comment keys', () => {
    expect(parseExceptions('{"$comment":"x","commander":"15 needs Node 22; we run Node 20"}')).toEqual({ commander: '15 needs Node 22; we run Node 20' });
  });

  it.each([['[]'], ['{"commander": true}'], ['{"commander": "old"}']])('refuses %s', (text) => {
    expect(() => parseExceptions(text)).toThrow(/deps-exceptions\.json/);
  });

  it('accepts the committed file', () => {
    const exceptions = parseExceptions(readFileSync(join(__dirname, '..', '..', 'deps-exceptions.json'), 'utf8'));
    expect(Object.keys(exceptions)).toContain('commander');
  });
});

it('asks the registry for the latest release, with scoped names escaped', () => {
  expect(latestUrl('https://registry.npmjs.org/', '@aws-sdk/client-sqs')).toBe('https://registry.npmjs.org/@aws-sdk%2Fclient-sqs/latest');
  expect(latestUrl('https://mirror.example/npm', 'zod')).toBe('https://mirror.example/npm/zod/latest');
});
