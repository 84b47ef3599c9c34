/**
 * Cross-stack exports are pinned (`lib/stateful-exports.ts`): every export the stateful stack has ever published stays
 * until it is retired on purpose, whatever the API stack imports today. Removing a consumer must never remove an export
 * in the same deploy ("export in use" deadlock); see docs, "Removing or replacing a table or key".
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { RETIRED_EXPORTS } from '../../lib/stateful-exports';
import { statefulStackName, synthStatefulTemplate } from '../../lib/stateful-stack';
import { synth } from './support';

type Json = Record<string, any>;

/**
 * Every export the stateful stack publishes or has published, by name without the `<stack name>:` prefix (CDK derives it
 * from the logical id and attribute, the same in every stage). Add a new one here when you pin it; never delete a line:
 * retire the export in `RETIRED_EXPORTS` instead.
 */
const PUBLISHED_EXPORTS = [
  'ExportsOutputFnGetAttAnalyticsEventsTable43E34F03Arn2CA39CC7',
  'ExportsOutputFnGetAttAuditTableB07F8EEBArn953CD61D',
  'ExportsOutputFnGetAttConsentTableCFDFC98FArn9B8A2B3E',
  'ExportsOutputFnGetAttDataKey17AFBB84ArnCE2A1BC6',
  'ExportsOutputFnGetAttExportsBucket5A12738BArn6FAD0B2A',
  'ExportsOutputFnGetAttIdentitiesTableCD62DAD4ArnF02CF206',
  'ExportsOutputFnGetAttIncidentsTable307EBBA6Arn66FA3897',
  'ExportsOutputFnGetAttLoginThrottleTable15F767B1Arn3AB61E9C',
  'ExportsOutputFnGetAttLogsKeyA6AB43B2Arn4976C732',
  'ExportsOutputFnGetAttPseudonymKey2CD808DEArn3B5243E6',
  'ExportsOutputFnGetAttQueueKey8E59F72CArn1A1DAA83',
  'ExportsOutputFnGetAttRecipientEventsKeyC96E81FAArn2E229EAE',
  'ExportsOutputFnGetAttRightsRequestDlqA228C77FQueueNameCDCD3688',
  'ExportsOutputFnGetAttRightsRequestQueue52A27CDFArn42D9088C',
  'ExportsOutputFnGetAttRightsRequestsTable3F43A17CArn3F0F1465',
  'ExportsOutputFnGetAttScheduledJobsDlq6ECF8E8AArnAE31ABDD',
  'ExportsOutputFnGetAttScheduledJobsDlq6ECF8E8AQueueName4A9FEAFE',
  'ExportsOutputFnGetAttSessionsTable7C302024Arn24FF8012',
  'ExportsOutputFnGetAttSubjectKeysTable0DE6158BArn5BC66F34',
  'ExportsOutputFnGetAttUsersTable9725E9C8Arn5684EF99',
  'ExportsOutputRefAlarmTopicD01E77F99DF7FB73',
  'ExportsOutputRefAnalyticsEventsTable43E34F03AF99B2F7',
  'ExportsOutputRefIncidentsTable307EBBA6249D313F',
  'ExportsOutputRefAuditTableB07F8EEB58E4840A',
  'ExportsOutputRefConsentTableCFDFC98F774A36D7',
  'ExportsOutputRefExportsBucket5A12738B671B903D',
  'ExportsOutputRefIdentitiesTableCD62DAD41E4A11F5',
  'ExportsOutputRefLoginThrottleTable15F767B13273EF44',
  'ExportsOutputRefRecipientEventsTopicDD8803E4183FC154',
  // the email provider's webhook dispatcher consumes its queue
  'ExportsOutputFnGetAttRecipientEmailProviderQueue939F4904ArnA129FB9E',
  'ExportsOutputRefRecipientEmailProviderQueue939F4904800D9C94',
  'ExportsOutputRefRightsRequestQueue52A27CDF802CA9AD',
  'ExportsOutputRefRightsRequestsTable3F43A17C1310DCBD',
  'ExportsOutputRefSessionsTable7C3020246E1CCFDD',
  'ExportsOutputRefSubjectKeysTable0DE6158B61F37167',
  'ExportsOutputRefUsersTable9725E9C857961836',
  // the outbox drain publishes the subject's events
  'ExportsOutputFnGetAttSubjectEventsKey752C1B4DArn444E7F3F',
  'ExportsOutputRefSubjectEventsTopicBE8785E96B2A970B',
  // the example recipient service (-c exampleRecipient=true) consumes the app-service queue
  'ExportsOutputFnGetAttRecipientAppServiceQueue06C37354Arn38371332',
  // every scheduled job records its last run; the operations view reads them
  'ExportsOutputFnGetAttJobRunsTable9913D238ArnCBE3FD17',
  'ExportsOutputRefJobRunsTable9913D23880D313A0',
  // the operations view reads every queue's and DLQ's counters; its redrive moves DLQ messages back to their queues
  'ExportsOutputFnGetAttRightsRequestDlqA228C77FArn0AB1AF4A',
  'ExportsOutputRefRightsRequestDlqA228C77F33E4D3FF',
  'ExportsOutputRefRecipientAppServiceQueue06C37354597ACD72',
  'ExportsOutputFnGetAttRecipientAppServiceDlqA5C8B378Arn2663B980',
  'ExportsOutputRefRecipientAppServiceDlqA5C8B378DBA83989',
  'ExportsOutputFnGetAttRecipientEmailProviderDlqF3081678ArnB4D5F050',
  'ExportsOutputRefRecipientEmailProviderDlqF3081678FD923A72',
];

/** Export names of a template, without the stack-name prefix. */
function exportNames(template: Json, stackName: string): string[] {
  return Object.values((template.Outputs ?? {}) as Record<string, Json>)
    .filter((output) => output.Export)
    .map((output) => {
      const name = output.Export.Name as string;
      expect(name.startsWith(`${stackName}:`)).toBe(true);
      return name.slice(stackName.length + 1);
    })
    .sort();
}

/** Every `Fn::ImportValue` argument anywhere in a template. */
function importsIn(node: unknown, found: string[] = []): string[] {
  if (Array.isArray(node)) for (const item of node) importsIn(item, found);
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'Fn::ImportValue') found.push(value as string);
      else importsIn(value, found);
    }
  }
  return found;
}

describe.each(['dev', 'prod'] as const)('the %s stateful stack, synthesized with no consumer at all', (stage) => {
  const stackName = statefulStackName(stage);
  let published: string[];

  beforeAll(() => {
    published = exportNames(synthStatefulTemplate(stage), stackName);
  });

  it('still publishes every export ever published, except those retired on purpose', () => {
    const missing = PUBLISHED_EXPORTS.filter((name) => !published.includes(name) && !(name in RETIRED_EXPORTS));
    expect(missing).toEqual([]);
  });

  it('no longer publishes a retired export', () => {
    expect(Object.keys(RETIRED_EXPORTS).filter((name) => published.includes(name))).toEqual([]);
  });

  it('publishes nothing that is not on the list (pin new exports deliberately, and list them here)', () => {
    expect(published.filter((name) => !PUBLISHED_EXPORTS.includes(name))).toEqual([]);
  });
});

describe('retired exports', () => {
  it('name exports that were published, each with a reason', () => {
    for (const [name, reason] of Object.entries(RETIRED_EXPORTS)) {
      expect({ name, published: PUBLISHED_EXPORTS.includes(name) }).toEqual({ name, published: true });
      expect(reason.length).toBeGreaterThan(10);
    }
  });
});

describe('the deployed app', () => {
  it.each([
    ['', false],
    [' (the example recipient stack too)', true],
  ])('imports only pinned exports, into any stack (nested stacks included)%s', (_label, example) => {
    const app = synth({ stage: 'dev', exampleRecipient: { enabled: example } });
    const pinned = exportNames(app.statefulTemplate.toJSON(), app.stateful.stackName);
    const consumers = app.app.node.findAll().filter((c): c is Stack => Stack.isStack(c) && c !== app.stateful);
    expect(consumers.length).toBeGreaterThan(0);
    // Only the stateful stack's exports are pinned; the example stack also imports the API stack's URL.
    const imports = consumers.flatMap((stack) => importsIn(Template.fromStack(stack).toJSON())).filter((name) => name.startsWith(`${app.stateful.stackName}:`));
    expect(imports.length).toBeGreaterThan(0);
    const unpinned = imports.filter((name) => !pinned.includes(name.replace(`${app.stateful.stackName}:`, '')));
    expect([...new Set(unpinned)]).toEqual([]);
    // Every pinned export has a description an operator can read in the console (`aws cloudformation describe-stacks`).
    const outputs = Object.values(app.statefulTemplate.toJSON().Outputs as Record<string, Json>).filter((o) => o.Export);
    for (const output of outputs) expect(output.Description).toMatch(/^Pinned export \(lib\/stateful-exports\.ts\): /);
  });
});
