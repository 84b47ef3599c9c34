/**
 * The recipient fan-out in the local cloud, provisioned from the synthesized stateful stack: events published through the
 * SNS adapter reach exactly the recipients they concern, each message carries only the identifiers its recipient is
 * declared to receive (checked against the declarations, not a hand list), and the subscriptions' filter policies drop a
 * message addressed to a recipient it does not concern even when the publisher is bypassed. And the rights worker tells
 * them: an export and an erasure put one message on each concerned recipient's queue, the erasure's before the data key is
 * destroyed (the email provider's carries the email), and a retried erasure job adds no second message.
 */
import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { snsRecipientEventPublisher } from '../../lambdas/adapters/sns-recipient-events';
import { RECIPIENT_EVENT_FORMAT, type RecipientEvent, type RecipientMessageBody } from '../../lambdas/domain/recipient-events';
import { purposeOf } from '../../lambdas/purposes';
import { EVENT_IDENTIFIERS, RECIPIENT_IDS, dataReceivedBy, fieldName, recipientOf, type DataRef, type EventIdentifier, type RecipientId } from '../../lambdas/recipients';
import { recipientDlqId, recipientQueueEnvVar, recipientQueueId, tableEnvVar, topicEnvVar } from '../../lambdas/runtime/resources';
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import { apiClient, createAdmin, documentClient, newPerson } from './helpers/api';
import { startLocalCloudProcess, type LocalCloudHandle } from './helpers/local-cloud';
import { settled, settledForAdmin, subjectWithData } from './helpers/rights';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };

let cloud: LocalCloudHandle;
let sqs: SQSClient;
let sns: SNSClient;
let topicArn: string;

beforeAll(async () => {
  // The erasure worker fails once after its first step, so its job is retried (after the visibility timeout).
  // The outbox drain (and every other schedule) runs each second, so the recipients hear of a change within seconds.
  cloud = await startLocalCloudProcess(['--visibility-timeout', '2'], {
    PASSWORD_SCRYPT_LOG_N: '12',
    FMN_FAULT_AFTER_ERASURE_STEP: 'exports',
    LOCAL_SCHEDULE_SECONDS: '1',
  });
  sqs = new SQSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  sns = new SNSClient({ region: 'eu-west-1', endpoint: cloud.endpoints.sqsS3, credentials });
  topicArn = cloud.env[topicEnvVar('recipientEvents')];
}, 120_000);

afterAll(async () => {
  sqs?.destroy();
  sns?.destroy();
  await cloud?.stop();
});

// Each test starts from empty recipient queues, so none depends on what another left there.
beforeEach(async () => {
  for (const id of RECIPIENT_IDS) for (const url of [queueUrl(id), dlqUrl(id)]) await drain(url);
});

const queueUrl = (id: RecipientId) => cloud.env[recipientQueueEnvVar(recipientQueueId(id))];
const dlqUrl = (id: RecipientId) => cloud.env[recipientQueueEnvVar(recipientDlqId(id))];

/** Everything in a queue now (delivery is synchronous in the emulator), deleted as read. */
async function drain(url: string): Promise<Message[]> {
  const all: Message[] = [];
  for (;;) {
    const { Messages = [] } = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: url, MaxNumberOfMessages: 10, WaitTimeSeconds: 0, MessageAttributeNames: ['All'] }),
    );
    if (Messages.length === 0) return all;
    all.push(...Messages);
    await sqs.send(new DeleteMessageBatchCommand({ QueueUrl: url, Entries: Messages.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

/**
 * Whether an event concerns a recipient, read off its declaration here rather than from the publisher's own function:
 * every holder hears of erasure and restriction, of an export if it holds a part, of a rectification if it receives a
 * changed field, of a withdrawn consent if it receives data for that purpose on consent.
 */
function concernsByDeclaration(id: RecipientId, event: RecipientEvent): boolean {
  const declared = recipientOf(id);
  switch (event.type) {
    case 'export':
      return declared.duties.export === 'provide-part';
    case 'rectification':
      return event.fields.some((f) => (dataReceivedBy(id) as string[]).includes(f));
    case 'consent-withdrawn':
      return purposeOf(event.purpose).lawfulBasis === 'consent' && declared.receives.some((r) => r.purpose === event.purpose);
    default:
      return true;
  }
}

/** The identifiers a recipient is declared to receive, from the inventory references it names. */
const declaredIdentifiers = (id: RecipientId): EventIdentifier[] =>
  (Object.keys(EVENT_IDENTIFIERS) as EventIdentifier[]).filter((name) => recipientOf(id).receives.some((r) => r.data.includes(EVENT_IDENTIFIERS[name])));

it('delivers each event to exactly the recipients it concerns, each message with only what its recipient may receive', async () => {
  const subject = { subjectId: randomUUID(), email: `s-${randomUUID()}@example.org` };
  const at = new Date().toISOString();
  const request = (id: string) => ({ kind: 'rights-request' as const, id });
  const events: RecipientEvent[] = [
    { type: 'erasure', source: request('r-erasure'), subject, at },
    { type: 'export', source: request('r-export'), subject, at },
    { type: 'rectification', source: request('r-email'), subject, at, fields: ['users.profile.email'] },
    { type: 'rectification', source: request('r-name'), subject, at, fields: ['users.profile.displayName', 'users.profile.phone'] },
    { type: 'rectification', source: request('r-phone'), subject, at, fields: ['users.profile.phone'] },
    { type: 'restriction-set', source: { kind: 'consent-event', id: 'c-restrict' }, subject, at },
    { type: 'restriction-lifted', source: { kind: 'consent-event', id: 'c-lift' }, subject, at },
    { type: 'consent-withdrawn', source: { kind: 'consent-event', id: 'c-news' }, subject, at, purpose: 'marketing-email' },
    { type: 'consent-withdrawn', source: { kind: 'consent-event', id: 'c-analytics' }, subject, at, purpose: 'analytics' },
  ];
  const publisher = snsRecipientEventPublisher(sns, topicArn);
  const told = new Map<string, readonly RecipientId[]>();
  for (const event of events) told.set(event.source.id, await publisher.publish(event));

  const values: Record<EventIdentifier, string> = subject;
  for (const id of RECIPIENT_IDS) {
    const received = await drain(queueUrl(id));
    const expected = events.filter((e) => concernsByDeclaration(id, e)).map((e) => `${e.source.id}/${e.type}`);
    const bodies = received.map((m) => JSON.parse(m.Body!) as RecipientMessageBody);
    // raw delivery: the body is the message as published, not an SNS envelope
    for (const body of bodies) expect(body).toMatchObject({ format: RECIPIENT_EVENT_FORMAT, recipient: id });
    expect(bodies.map((b) => `${b.source.id}/${b.type}`).sort()).toEqual(expected.sort());
    for (const event of events) expect(told.get(event.source.id)!.includes(id)).toBe(concernsByDeclaration(id, event));

    const allowed = declaredIdentifiers(id);
    for (const message of received) {
      const body = JSON.parse(message.Body!) as RecipientMessageBody;
      expect(Object.keys(body.subject).sort()).toEqual([...allowed].sort());
      for (const name of allowed) expect(body.subject[name]).toBe(values[name]);
      // an identifier it is not declared to receive appears nowhere: not in the body, not in the attributes
      for (const name of (Object.keys(values) as EventIdentifier[]).filter((n) => !allowed.includes(n))) {
        expect(message.Body).not.toContain(values[name]);
        expect(JSON.stringify(message.MessageAttributes)).not.toContain(values[name]);
      }
      // rectifications name fields it receives, never a value
      if (body.type === 'rectification') {
        for (const field of body.fields!) expect(dataReceivedBy(id).some((ref) => ref.endsWith(`.${field}`))).toBe(true);
      }
      expect(message.MessageAttributes?.recipient?.StringValue).toBe(id);
    }
    expect(await drain(dlqUrl(id))).toEqual([]);
  }
  // the example app, spelled out: the service hears of 6 events, the email provider of 6, neither of the phone number
  expect(told.get('r-phone')).toEqual([]);
  expect(told.get('c-analytics')).toEqual([]);
  expect(told.get('r-email')).toEqual(['email-provider']);
  expect(told.get('r-name')).toEqual(['app-service']);
}, 60_000);

it('drops at the topic a message addressed to a recipient it does not concern, even if the publisher is bypassed', async () => {
  const publishRaw = (attributes: Record<string, string>) =>
    sns.send(
      new PublishCommand({
        TopicArn: topicArn,
        Message: JSON.stringify({ probe: attributes }),
        MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
      }),
    );
  // analytics is not a purpose the email provider serves; the in-account service serves no consent purpose at all
  await publishRaw({ recipient: 'email-provider', eventType: 'consent-withdrawn', purpose: 'analytics' });
  await publishRaw({ recipient: 'app-service', eventType: 'consent-withdrawn', purpose: 'marketing-email' });
  // a rectification of a category the service does not receive, and a message with no recipient at all
  await publishRaw({ recipient: 'app-service', eventType: 'rectification', 'affects-contact': 'true' });
  await publishRaw({ eventType: 'erasure' });
  // and one that does concern the service, which it gets, alone
  await publishRaw({ recipient: 'app-service', eventType: 'erasure' });

  const byRecipient = Object.fromEntries(await Promise.all(RECIPIENT_IDS.map(async (id) => [id, await drain(queueUrl(id))] as const)));
  expect(byRecipient['email-provider']).toEqual([]);
  expect(byRecipient['app-service'].map((m) => JSON.parse(m.Body!).probe)).toEqual([{ recipient: 'app-service', eventType: 'erasure' }]);
}, 60_000);

describe('the rights worker tells the recipients', () => {
  /** What each recipient's queue holds now, as bodies (deleted as read). */
  const queued = async () => Object.fromEntries(await Promise.all(RECIPIENT_IDS.map(async (id) => [id, (await drain(queueUrl(id))).map((m) => JSON.parse(m.Body!) as RecipientMessageBody)] as const)));

  it('of an export and an erasure: one message per concerned recipient, with only its declared identifiers, none again on retry', async () => {
    const admin = await createAdmin(cloud);
    const { person, subjectId, token } = await subjectWithData(cloud);
    const values: Record<EventIdentifier, string> = { subjectId, email: person.email };
    const call = async (body: object) => {
      const response = await fetch(`${cloud.apiUrl}/v1/me/requests`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status).toBe(202);
      return ((await response.json()) as { requestId: string }).requestId;
    };
    const expectOnePerRecipient = (byRecipient: Record<string, RecipientMessageBody[]>, type: 'export' | 'erasure', requestId: string) => {
      for (const id of RECIPIENT_IDS) {
        const concerned = concernsByDeclaration(id, { type, source: { kind: 'rights-request', id: requestId }, subject: values, at: '' });
        const mine = byRecipient[id].filter((b) => b.source.id === requestId);
        expect(mine.map((b) => b.type)).toEqual(concerned ? [type] : []);
        for (const body of mine) expect(body.subject).toEqual(Object.fromEntries(declaredIdentifiers(id).map((n) => [n, values[n]])));
      }
    };

    const exportId = await call({ type: 'export' });
    expect((await settled(cloud, token, exportId)).status).toBe('completed');
    expectOnePerRecipient(await queued(), 'export', exportId);

    const erasureId = await call({ type: 'erasure' });
    const done = await settledForAdmin(cloud, admin.token, erasureId);
    expect(done.status).toBe('completed');
    // The injected fault failed the first run after its first step; the retried job added no second message.
    const afterErasure = await queued();
    expectOnePerRecipient(afterErasure, 'erasure', erasureId);
    // the email provider got the email: read from the profile before the key was shredded
    expect(afterErasure['email-provider'].find((b) => b.source.id === erasureId)?.subject).toEqual({ email: person.email });
    for (const id of RECIPIENT_IDS) expect(await drain(dlqUrl(id))).toEqual([]);
  }, 120_000);
});

describe('changes in the request path reach the recipients through the outbox', () => {
  it('rectification (PATCH /v1/me and a completed request), restriction and withdrawn consent: exactly the declared recipients, only declared fields', async () => {
    const call = apiClient(cloud);
    const admin = await createAdmin(cloud);
    const person = newPerson();
    const registered = await call('POST', '/v1/accounts', { body: { ...person, consents: { 'marketing-email': true, analytics: true } } });
    expect(registered.status).toBe(201);
    const subjectId = registered.body.account.subjectId as string;
    const token = registered.body.session.token as string;
    const newEmail = `moved.${randomUUID().slice(0, 8)}@example.org`;
    const newName = `Ada ${randomUUID().slice(0, 8)}`;

    // What happens, and the event each change is, as the declarations see it (field references, not names).
    type Expected = { type: RecipientEvent['type']; kind: string; fields?: DataRef[]; purpose?: 'marketing-email' | 'analytics' };
    const changes: Expected[] = [];
    expect((await call('PATCH', '/v1/me', { token, body: { displayName: newName, phone: null } })).status).toBe(200);
    changes.push({ type: 'rectification', kind: 'profile-change', fields: ['users.profile.displayName', 'users.profile.phone'] });
    expect((await call('PATCH', '/v1/me', { token, body: { email: newEmail, currentPassword: person.password } })).status).toBe(200);
    changes.push({ type: 'rectification', kind: 'profile-change', fields: ['users.profile.email'] });
    expect((await call('PATCH', '/v1/me', { token, body: { locale: 'fr-FR' } })).status).toBe(200);
    changes.push({ type: 'rectification', kind: 'profile-change', fields: ['users.profile.locale'] });
    const fix = await call('POST', '/v1/me/requests', { token, body: { type: 'rectification', fields: ['profile.displayName', 'profile.postalAddress'] } });
    expect((await call('POST', `/v1/admin/requests/${fix.body.requestId}/complete`, { token: admin.token, body: { note: 'Corrected.', evidence: [{ where: 'CRM', action: 'corrected' }] } })).status).toBe(200);
    changes.push({ type: 'rectification', kind: 'rights-request', fields: ['users.profile.displayName', 'users.profile.postalAddress'] });
    expect((await call('POST', '/v1/me/restriction', { token })).status).toBe(200);
    changes.push({ type: 'restriction-set', kind: 'consent-event' });
    expect((await call('DELETE', '/v1/me/restriction', { token })).status).toBe(200);
    changes.push({ type: 'restriction-lifted', kind: 'consent-event' });
    expect((await call('PUT', '/v1/me/consents/marketing-email', { token, body: { granted: false } })).status).toBe(200);
    changes.push({ type: 'consent-withdrawn', kind: 'consent-event', purpose: 'marketing-email' });
    expect((await call('PUT', '/v1/me/consents/analytics', { token, body: { granted: false } })).status).toBe(200);
    changes.push({ type: 'consent-withdrawn', kind: 'consent-event', purpose: 'analytics' });

    const values: Record<EventIdentifier, string> = { subjectId, email: newEmail };
    const asEvent = (c: Expected) => ({ ...c, source: { kind: 'rights-request', id: '' }, subject: values, at: '' }) as unknown as RecipientEvent;
    const key = (type: string, kind: string, fields: readonly string[] = [], purpose = '') => `${type}/${kind}/${[...fields].sort().join(',')}/${purpose}`;
    const expected = Object.fromEntries(
      RECIPIENT_IDS.map((id) => {
        const received = new Set<string>(dataReceivedBy(id));
        const mine = changes.filter((c) => concernsByDeclaration(id, asEvent(c)));
        return [id, mine.map((c) => key(c.type, c.kind, c.fields?.filter((f) => received.has(f)).map(fieldName), c.purpose)).sort()];
      }),
    );
    // the example app, spelled out: neither recipient hears of the locale or the analytics consent
    expect(expected['app-service']).toHaveLength(4);
    expect(expected['email-provider']).toHaveLength(4);

    // Each recipient's messages about this subject, found by the identifier that recipient receives; the drain runs each second.
    const mine = (id: RecipientId, body: RecipientMessageBody) => declaredIdentifiers(id).some((n) => body.subject[n] === values[n]);
    const got: Record<string, { body: RecipientMessageBody; message: Message }[]> = Object.fromEntries(RECIPIENT_IDS.map((id) => [id, []]));
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline && RECIPIENT_IDS.some((id) => got[id].length < expected[id].length)) {
      for (const id of RECIPIENT_IDS) {
        for (const message of await drain(queueUrl(id))) {
          const body = JSON.parse(message.Body!) as RecipientMessageBody;
          if (mine(id, body)) got[id].push({ body, message });
        }
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    // one more run of the drain, so a duplicate would have arrived
    await new Promise((r) => setTimeout(r, 2_500));
    for (const id of RECIPIENT_IDS) for (const message of await drain(queueUrl(id))) {
      const body = JSON.parse(message.Body!) as RecipientMessageBody;
      if (mine(id, body)) got[id].push({ body, message });
    }

    const profileValues = [person.email, newName, person.displayName, person.phone, person.postalAddress.street, person.givenName, person.familyName];
    for (const id of RECIPIENT_IDS) {
      const bodies = got[id].map((g) => g.body);
      expect(bodies.map((b) => key(b.type, b.source.kind, b.fields, b.purpose)).sort()).toEqual(expected[id]);
      const allowed = declaredIdentifiers(id);
      for (const { body, message } of got[id]) {
        expect(body).toMatchObject({ format: RECIPIENT_EVENT_FORMAT, recipient: id });
        // the email's own rectification also carries the email before it (the email provider finds its subscriber by it)
        const emailChange = body.type === 'rectification' && (body.fields ?? []).includes('email') && allowed.includes('email');
        expect(body.subject).toEqual({
          ...Object.fromEntries(allowed.map((n) => [n, values[n]])),
          ...(emailChange ? { previous: { email: person.email } } : {}),
        });
        // field names it receives only, and never a value: not a profile value, not an identifier it is not declared to receive
        for (const field of body.fields ?? []) expect(dataReceivedBy(id).map(fieldName)).toContain(field);
        for (const value of [...profileValues.filter((v) => !(emailChange && v === person.email)), ...(Object.keys(values) as EventIdentifier[]).filter((n) => !allowed.includes(n)).map((n) => values[n])]) {
          expect(message.Body).not.toContain(value);
          expect(JSON.stringify(message.MessageAttributes)).not.toContain(value);
        }
      }
      expect(await drain(dlqUrl(id))).toEqual([]);
    }
    // published, then removed from the outbox
    const db = documentClient(cloud);
    const left = await db.send(new QueryCommand({
      TableName: cloud.env[tableEnvVar('consent')],
      KeyConditionExpression: 'subjectId = :s AND begins_with(sk, :o)',
      ExpressionAttributeValues: { ':s': subjectId, ':o': 'outbox#' },
      ConsistentRead: true,
    }));
    expect(left.Items).toEqual([]);
  }, 120_000);
});
