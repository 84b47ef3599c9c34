/**
 * The categories of personal data processed for each purpose, as the generated record of processing activities
 * (docs/ropa.json, `npm run datadocs`) lists them. They follow from what every route, worker and job touches
 * (`purposeCategories` in `data-map.ts`), which only the whole route table knows; functions read the generated record instead
 * of bundling the table. The data-docs test keeps the record fresh and equal to `purposeCategories`.
 */
import { activities } from '../docs/ropa.json';
import type { PurposeId } from './purposes';

const byPurpose = new Map<string, readonly string[]>(activities.map((a) => [a.purpose, a.categoriesOfPersonalData]));

/** The categories processed for `purpose`, sorted; none for a purpose the record does not list. */
export function categoriesOf(purpose: PurposeId): string[] {
  return [...(byPurpose.get(purpose) ?? [])];
}
