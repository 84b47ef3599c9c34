/**
 * Installs the test hooks (`lambdas/runtime/test-hooks.ts`) in a process that runs handlers outside Lambda: the field-use
 * trace (on when FMN_FIELD_TRACE names a file) and crash injection (FMN_FAULT_KILL_AT). Both do nothing unless their
 * variable is set. Call before any handler module is loaded: SDK clients are instrumented as they are built.
 */
import { installTestHooks } from '../lambdas/runtime/test-hooks';
import { killAt } from './faults';
import { traceClient } from './field-trace';

export function installLocalTestHooks(): void {
  installTestHooks({ instrumentClient: traceClient, crashPoint: killAt });
}
