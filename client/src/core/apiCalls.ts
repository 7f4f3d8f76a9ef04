// How the engine reads the API client: the options of one call made for an operation (its cancel, its tries as the
// operation's progress) and the two answers the engine treats apart (401: the bearer is dead; aborted: every caller
// cancelled, so nothing more was or will be sent).
import type { CallOptions } from '../api/authClient';
import { isC2mApiError } from '../api/errors';
import type { OperationControl, OperationStep } from './operation';

export const is401 = (e: unknown): boolean => isC2mApiError(e) && e.status === 401;
/** The API client stopped because its caller cancelled (nothing more was, or will be, sent for it). */
export const isAbort = (e: unknown): boolean => isC2mApiError(e) && e.kind === 'aborted';

/** The API client's options for one step of a flight: its cancel, and each try reported as that step's progress. */
export function callOptions(
  flight: Pick<OperationControl, 'signal' | 'onProgress'> | undefined,
  step: OperationStep,
): CallOptions {
  if (!flight) return {};
  return {
    ...(flight.signal ? { signal: flight.signal } : {}),
    onTry: (attempt, tries) => flight.onProgress?.({ step, attempt, tries }),
  };
}
