/** Thrown when the work did not finish before the guard's deadline. */
export class DeadlineExceededError extends Error {
  constructor(public readonly elapsedMs: number) {
    super(`the lookup did not finish within ${Math.round(elapsedMs / 1000)} s, before the function's timeout`);
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work`, or throws DeadlineExceededError at `deadlineAt` (ms since the epoch), so the
 * handler still has the time its budget keeps to answer CloudFormation or hand over. A
 * Lambda that times out without answering leaves the stack waiting for the custom
 * resource's ServiceTimeout. The abandoned work is told through the signal so that it
 * stops calling the API.
 */
export async function withDeadline<T>(deadlineAt: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(Date.now() - started);
      controller.abort(error);
      reject(error);
    }, Math.max(0, deadlineAt - started));
  });
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
