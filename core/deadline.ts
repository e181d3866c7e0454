/** Thrown when the work did not finish before the guard's deadline. */
export class DeadlineExceededError extends Error {
  constructor(
    public readonly elapsedMs: number,
    /** The call that was in flight then, service first (`WorkSpaces GetAccountLink for link …`), if one was. */
    public readonly inFlight?: string,
  ) {
    super(`the lookup did not finish within ${Math.round(elapsedMs / 1000)} s, before the function's timeout`
      + (inFlight ? `: ${inFlight} was still in flight` : ''));
    this.name = 'DeadlineExceededError';
  }
}

/**
 * Runs `work`, or throws DeadlineExceededError at `deadlineAt` (ms since the epoch), so the
 * handler still has the time its budget keeps to answer CloudFormation or hand over. A
 * Lambda that times out without answering leaves the stack waiting for the custom
 * resource's ServiceTimeout. The abandoned work is told through the signal so that it
 * stops calling the API; `inFlight` names what it was waiting for then, for the message.
 */
export async function withDeadline<T>(
  deadlineAt: number, work: (signal: AbortSignal) => Promise<T>, inFlight: () => string | undefined = () => undefined,
): Promise<T> {
  const started = Date.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(Date.now() - started, inFlight());
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
