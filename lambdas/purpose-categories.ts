/**
 * The categories of personal data processed for each purpose, as the generated record of processing activities
 * (docs/ropa.json, `npm run datadocs`) lists them. They follow from what every route, worker and job touches
 * (`purposeCategories` in `data-map.ts`), which only the whole route table knows; functions read the generated record instead
 * of bundling the table. The data-docs test keeps the record fresh and equal to `purposeCategories`.
 *
 * The record is a function's `bundledFiles` entry (copied beside its bundle, read on first use), not bundled: 24 KiB of JSON
 * every cold start would parse. A function whose bundle holds this module must declare it (function-bundles.test.ts).
 */
import { bundledFileReader } from './runtime/bundled-file';
import type { PurposeId } from './purposes';

const record = bundledFileReader('docs/ropa.json');
let byPurpose: Map<string, readonly string[]> | undefined;

/** The categories processed for `purpose`, sorted; none for a purpose the record does not list. */
export function categoriesOf(purpose: PurposeId): string[] {
  byPurpose ??= new Map(
    (JSON.parse(record()) as { activities: Array<{ purpose: string; categoriesOfPersonalData: string[] }> }).activities.map((a) => [
      a.purpose,
      a.categoriesOfPersonalData,
    ]),
  );
  return [...(byPurpose.get(purpose) ?? [])];
}
