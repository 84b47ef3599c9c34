/**
 * The physical names of exactly the stores a function declares, read from the environment at cold start.
 *
 * The CDK bind helpers set (and grant) one variable per declared store, so asking for an undeclared store fails loudly here,
 * in tests and locally alike, instead of as an AccessDenied in production.
 */
import type { StoreId } from '../inventory';
import type { DataTouch } from '../http/route-definition';
import { requireEnv } from './env';
import { TABLE_IDS, tableEnvVar, type TableId } from './resources';

export class UndeclaredStoreError extends Error {
  constructor(store: string, owner: string) {
    super(`${owner} touches store "${store}" but does not declare it in the route table`);
    this.name = 'UndeclaredStoreError';
  }
}

export interface DeclaredStores {
  table(id: TableId): string;
}

export function declaredStores(owner: { id: string; personalData: readonly DataTouch[] }): DeclaredStores {
  const names = new Map<StoreId, string>();
  for (const touch of owner.personalData) {
    if ((TABLE_IDS as readonly string[]).includes(touch.store) && !names.has(touch.store)) {
      names.set(touch.store, requireEnv(tableEnvVar(touch.store as TableId)));
    }
  }
  return {
    table(id) {
      const name = names.get(id);
      if (!name) throw new UndeclaredStoreError(id, owner.id);
      return name;
    },
  };
}
