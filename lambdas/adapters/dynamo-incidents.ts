/**
 * Breach records in the incidents table: the record (`sk` = `record`) and, beside it, the scope's pseudonyms in pages
 * (`scope#<jobId>#<page>`), so that a scope of many subjects never pushes the record past DynamoDB's 400 KB per item.
 *
 * Every write goes with its audit entry in one transaction, on the system chain (an incident is about no one subject),
 * naming the fields changed and never their text. Every write refreshes the TTL: the record is kept
 * `INCIDENT_RETENTION_YEARS` after its last change.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { GetCommand, PutCommand, TransactionCanceledException } from './dynamodb-sdk';
import { queryAll } from './dynamo-paging';
import type { AuditTrail } from './dynamo-audit';
import { IncidentChangedError, type Incident, type IncidentScopeResult, type IncidentStore } from '../domain/incidents';
import { INCIDENT_RETENTION_YEARS } from '../retention-periods';

export const INCIDENTS_INDEX = 'byAwareness';
const RECORD = 'record';
const LISTED = 'incident';
/** Pseudonyms per page item: 64 hex characters each, about 270 KB a page, under the item limit with room to spare. */
export const PSEUDONYMS_PER_PAGE = 4000;

const expiresAt = (now: Date): number => Math.floor(now.getTime() / 1000) + Math.round(INCIDENT_RETENTION_YEARS * 365.25 * 86_400);

function fromItem(item: Record<string, unknown>): Incident {
  const { sk: _sk, listed: _listed, expiresAt: _expiresAt, ...incident } = item;
  return incident as unknown as Incident;
}

const pagePrefix = (jobId: string) => `scope#${jobId}#`;

export class DynamoIncidents implements IncidentStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly table: string,
    private readonly audit: AuditTrail | undefined,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private trail(): AuditTrail {
    if (!this.audit) throw new Error('incident written without an audit trail');
    return this.audit;
  }

  private item(incident: Incident): Record<string, unknown> {
    return { ...incident, sk: RECORD, listed: LISTED, expiresAt: expiresAt(this.now()) };
  }

  async create(incident: Incident): Promise<void> {
    await this.trail().transact(
      [{ Put: { TableName: this.table, Item: this.item(incident), ConditionExpression: 'attribute_not_exists(incidentId)' } }],
      { action: 'create', fields: ['incidents.incidentId', 'incidents.awareAt', 'incidents.stores', 'incidents.window', 'incidents.description', 'incidents.nature'] },
    );
  }

  async get(incidentId: string): Promise<Incident | undefined> {
    const { Item } = await this.db.send(new GetCommand({ TableName: this.table, Key: { incidentId, sk: RECORD }, ConsistentRead: true }));
    return Item ? fromItem(Item) : undefined;
  }

  async list(): Promise<Incident[]> {
    const items = await queryAll<Record<string, unknown>>(this.db, {
      TableName: this.table,
      IndexName: INCIDENTS_INDEX,
      KeyConditionExpression: 'listed = :l',
      ExpressionAttributeValues: { ':l': LISTED },
      ScanIndexForward: false,
    });
    return items.map(fromItem);
  }

  async replace(previous: Incident, next: Incident, fields: readonly string[]): Promise<void> {
    try {
      await this.trail().transact(
        [
          {
            Put: {
              TableName: this.table,
              Item: this.item(next),
              ConditionExpression: 'updatedAt = :u',
              ExpressionAttributeValues: { ':u': previous.updatedAt },
            },
          },
        ],
        { action: 'update', fields },
      );
    } catch (error) {
      if (error instanceof TransactionCanceledException) throw new IncidentChangedError();
      throw error;
    }
  }

  async pseudonyms(incident: Incident): Promise<string[]> {
    const scope = incident.scope;
    if (scope?.status !== 'done' || !scope.pages) return [];
    const pages = await queryAll<{ sk: string; pseudonyms: string[] }>(this.db, {
      TableName: this.table,
      KeyConditionExpression: 'incidentId = :i AND begins_with(sk, :p)',
      ExpressionAttributeValues: { ':i': incident.incidentId, ':p': pagePrefix(scope.jobId) },
      ConsistentRead: true,
    });
    return pages.sort((a, b) => a.sk.localeCompare(b.sk)).flatMap((p) => p.pseudonyms);
  }

  async recordExport(incident: Incident): Promise<void> {
    await this.trail().transact([], { action: 'export', fields: ['incidents.incidentId', 'incidents.scope', 'incidents.pseudonyms'] });
    void incident;
  }

  /**
   * Stores a scope job's result: its pseudonym pages first (under the job's id, so a stale job cannot overwrite the
   * pages of a newer one), then the record, on condition that it still waits for this job. Returns false when it no
   * longer does (a newer start superseded the job): nothing of the record changes then.
   */
  async saveScope(incident: Incident, jobId: string, result: IncidentScopeResult, pseudonyms: readonly string[]): Promise<boolean> {
    const now = this.now();
    const pages = Math.ceil(pseudonyms.length / PSEUDONYMS_PER_PAGE);
    for (let page = 0; page < pages; page++) {
      await this.db.send(
        new PutCommand({
          TableName: this.table,
          Item: {
            incidentId: incident.incidentId,
            sk: `${pagePrefix(jobId)}${String(page).padStart(4, '0')}`,
            pseudonyms: pseudonyms.slice(page * PSEUDONYMS_PER_PAGE, (page + 1) * PSEUDONYMS_PER_PAGE),
            expiresAt: expiresAt(now),
          },
        }),
      );
    }
    const finishedAt = now.toISOString();
    const next: Incident = {
      ...incident,
      scope: { status: 'done', jobId, requestedAt: incident.scope!.requestedAt, finishedAt, result, pages },
      updatedAt: finishedAt > incident.updatedAt ? finishedAt : new Date(Date.parse(incident.updatedAt) + 1).toISOString(),
    };
    try {
      await this.trail().transact(
        [
          {
            Put: {
              TableName: this.table,
              Item: this.item(next),
              ConditionExpression: '#scope.jobId = :j AND #scope.#status = :queued',
              ExpressionAttributeNames: { '#scope': 'scope', '#status': 'status' },
              ExpressionAttributeValues: { ':j': jobId, ':queued': 'queued' },
            },
          },
        ],
        // The worker's own purpose is transparency (rights requests); this entry records accountability work.
        { action: 'update', fields: ['incidents.scope', 'incidents.pseudonyms'], purpose: 'accountability' },
      );
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  /** Marks the job's scope failed (its last delivery failed); a no-op when a newer job took over. */
  async failScope(incident: Incident, jobId: string): Promise<void> {
    const now = this.now().toISOString();
    const updatedAt = now > incident.updatedAt ? now : new Date(Date.parse(incident.updatedAt) + 1).toISOString();
    const next: Incident = { ...incident, scope: { ...incident.scope!, status: 'failed', finishedAt: now }, updatedAt };
    try {
      await this.trail().transact(
        [
          {
            Put: {
              TableName: this.table,
              Item: this.item(next),
              ConditionExpression: '#scope.jobId = :j',
              ExpressionAttributeNames: { '#scope': 'scope' },
              ExpressionAttributeValues: { ':j': jobId },
            },
          },
        ],
        { action: 'update', fields: ['incidents.scope'], purpose: 'accountability' },
      );
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
    }
  }
}
