/**
 * The field-use check: compares a field-use trace (local/field-trace.ts) with the declarations in `routes.ts` and
 * `schedules.ts` and with the inventory. Pure functions over plain data, so a unit test can feed it a synthetic trace.
 *
 * 1. Every traced touch is declared: the declaration that was running names the store, the field and the access in one of
 *    its touches. A touch made outside any declaration (`unattributed`) is refused too.
 * 2. Nothing is declared in vain: every field a declaration names, and every access it claims, was traced for it at least
 *    once, and every field of the inventory was used by some declaration, unless an exception (with its reason) says why
 *    the scenario cannot show it. An exception that no longer matches anything is reported, so the list stays minimal.
 * 3. Stores an AWS service writes on its own (`writtenBy` is not `backend`: S3 server access logs, CloudTrail, API access
 *    logs) are outside the trace on purpose: their fields are not expected to be used, and a traced touch of one is
 *    reported, since no handler may read or write them.
 */
import { readFileSync } from 'node:fs';
import type { StoreDeclaration } from '../../../lambdas/inventory';
import { authorizerFunction, routes, workers, type DataAccess, type DataTouch } from '../../../lambdas/routes';
import { schedules } from '../../../lambdas/schedules';
import type { DeclarationLabel, TracedTouch } from '../../../local/field-trace';

export interface Declared {
  readonly label: DeclarationLabel;
  readonly personalData: readonly DataTouch[];
}

/** Every declaration the local cloud can run: routes, the authorizer, workers and schedules, labelled as `runAs` labels them. */
export function runtimeDeclarations(): Declared[] {
  return [
    ...routes.map((r) => ({ label: `route:${r.id}` as const, personalData: r.personalData })),
    { label: `authorizer:${authorizerFunction.id}`, personalData: authorizerFunction.personalData },
    ...workers.map((w) => ({ label: `worker:${w.id}` as const, personalData: w.personalData })),
    ...schedules.map((s) => ({ label: `schedule:${s.id}` as const, personalData: s.personalData })),
  ];
}

/**
 * Declared fields and accesses, or inventory fields, the run cannot show, and why. `fields` and `access` name what is
 * excused on `store` for each of `declarations`; with neither, the declarations' whole touch of the store is. `'inventory'`
 * as a declaration excuses inventory fields no declaration used. Every declaration × field (or access) pair must excuse
 * something, or it is reported as stale, so the list cannot outgrow what the run misses.
 */
export interface FieldUseException {
  readonly declarations: readonly (DeclarationLabel | 'inventory')[];
  readonly store: string;
  readonly fields?: readonly string[];
  readonly access?: readonly DataAccess[];
  readonly reason: string;
}

export interface FieldUseReport {
  /** Touches no declaration allows: each names the declaration, store, field and access. */
  readonly undeclared: string[];
  /** Declared fields and accesses never traced for their declaration. */
  readonly unusedDeclared: string[];
  /** Inventory fields no declaration used. */
  readonly unusedInventory: string[];
  /** Exceptions that excused nothing (remove them). */
  readonly staleExceptions: string[];
}

export function readTrace(file: string): TracedTouch[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TracedTouch);
}

export function checkFieldUse(
  trace: readonly TracedTouch[],
  declarations: readonly Declared[],
  inventory: Readonly<Record<string, StoreDeclaration>>,
  exceptions: readonly FieldUseException[] = [],
): FieldUseReport {
  const byLabel = new Map(declarations.map((d) => [d.label as string, d]));
  const used = new Set<string>(); // declaration|store|field|access
  const usedAccess = new Set<string>(); // declaration|store|access
  const usedField = new Set<string>(); // store|field, by anyone
  const undeclared = new Set<string>();

  const awsWritten = new Set(Object.entries(inventory).filter(([, d]) => d.writtenBy !== 'backend').map(([id]) => id));
  for (const touch of trace) {
    if (awsWritten.has(touch.store)) {
      undeclared.add(`${touch.declaration} ${verb(touch.access)} ${touch.store} (${touch.command}), which only ${describeWriter(inventory[touch.store])} writes`);
      continue;
    }
    usedAccess.add(`${touch.declaration}|${touch.store}|${touch.access}`);
    const declaration = byLabel.get(touch.declaration);
    for (const field of touch.fields) {
      used.add(`${touch.declaration}|${touch.store}|${field}|${touch.access}`);
      usedField.add(`${touch.store}|${field}`);
      const allowed = declaration?.personalData.some(
        (t) => t.store === touch.store && t.access.includes(touch.access) && (t.fields as readonly string[]).includes(field),
      );
      if (allowed) continue;
      const who = declaration ? touch.declaration : `${touch.declaration} (no such declaration was running)`;
      undeclared.add(`${who} ${verb(touch.access)} ${touch.store}.${field} (${touch.command}) without declaring it`);
    }
    if (touch.fields.length === 0 && !declaration?.personalData.some((t) => t.store === touch.store && t.access.includes(touch.access))) {
      undeclared.add(`${touch.declaration} ${verb(touch.access)} ${touch.store} (${touch.command}) without declaring that access`);
    }
  }

  // One key per excused pair, so a pair that no longer excuses anything shows up as stale.
  const excusable = new Map<string, boolean>();
  for (const e of exceptions) {
    const what = [...(e.fields ?? []), ...(e.access ?? []).map((a) => `access:${a}`)];
    for (const declaration of e.declarations) {
      for (const item of what.length > 0 ? what : ['*']) excusable.set(`${declaration}|${e.store}|${item}`, false);
    }
  }
  const excuse = (key: string) => {
    const whole = key.replace(/\|[^|]*$/, '|*');
    const found = [key, whole].find((k) => excusable.has(k));
    if (found) excusable.set(found, true);
    return found !== undefined;
  };

  const unusedDeclared: string[] = [];
  for (const { label, personalData } of declarations) {
    for (const touch of personalData) {
      for (const access of touch.access) {
        if (usedAccess.has(`${label}|${touch.store}|${access}`)) continue;
        if (excuse(`${label}|${touch.store}|access:${access}`)) continue;
        unusedDeclared.push(`${label} declares ${access} on ${touch.store} but never did it`);
      }
      for (const field of touch.fields as readonly string[]) {
        if (touch.access.some((a) => used.has(`${label}|${touch.store}|${field}|${a}`))) continue;
        if (excuse(`${label}|${touch.store}|${field}`)) continue;
        unusedDeclared.push(`${label} declares ${touch.store}.${field} (${touch.access.join('/')}) but never touched it`);
      }
    }
  }

  const unusedInventory: string[] = [];
  for (const [store, declaration] of Object.entries(inventory)) {
    if (awsWritten.has(store)) continue; // written by AWS, not by code the trace can see
    for (const field of Object.keys(declaration.fields)) {
      if (usedField.has(`${store}|${field}`)) continue;
      if (excuse(`inventory|${store}|${field}`)) continue;
      unusedInventory.push(`inventory field ${store}.${field} was used by no declaration`);
    }
  }

  const staleExceptions = [...excusable]
    .filter(([, used]) => !used)
    .map(([key]) => `exception ${key.replaceAll('|', ' ')} excuses nothing: remove it`);

  return { undeclared: [...undeclared].sort(), unusedDeclared, unusedInventory, staleExceptions };
}

const describeWriter = (declaration: StoreDeclaration) => (declaration.writtenBy === 'backend' ? 'the backend' : declaration.writtenBy.service);

const verb = (access: DataAccess) => ({ read: 'read', write: 'wrote', delete: 'deleted' })[access];
