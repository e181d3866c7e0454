/** The part of the Lambda context the deadline guard reads. */
export interface RemainingTime {
  getRemainingTimeInMillis(): number;
}

/** Thrown when the work did not finish before the guard's deadline. */
export class DeadlineExceededError extends Error {
  constructor(public readonly elapsedMs: number) {
    super(`the lookup did not finish within ${Math.round(elapsedMs / 1000)} s, before the function's timeout`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work`, or throws DeadlineExceededError once only `reserveMs` of the invocation is
 * left, so the handler still has time to answer CloudFormation. A Lambda that times out
 * without answering leaves the stack waiting for the custom resource's ServiceTimeout.
 * The abandoned work is told through the signal so that it stops calling the API.
 */
export async function withDeadline<T>(
  context: RemainingTime, reserveMs: number, work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const started = Date.now();
  const budget = Math.max(0, context.getRemainingTimeInMillis() - reserveMs);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new DeadlineExceededError(Date.now() - started));
    }, budget);
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
