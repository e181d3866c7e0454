/**
 * One line a person can act on, from whatever was thrown: the message, prefixed with the
 * error's name for AWS API errors (and the `ResourceId` a ResourceNotFoundException
 * carries), never a stack trace.
 */
export function describeError(error: unknown): string {
  const notApi = notAnApiAnswer(error);
  if (notApi) return notApi;
  if (error instanceof Error) {
    const resourceId = (error as { ResourceId?: unknown }).ResourceId;
    const isApiError = '$metadata' in error;
    const parts = [isApiError ? `${error.name}: ${error.message}` : error.message];
    if (typeof resourceId === 'string' && resourceId !== '' && !error.message.includes(resourceId)) {
      parts.push(`(ResourceId ${resourceId})`);
    }
    return oneLine(parts.join(' '));
  }
  return oneLine(String(error));
}

/** Folds white space (newlines included) so the text is one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * An answer that did not come from an AWS API (an empty 404, a proxy's HTML page): the SDK
 * could not read it and says so in its own terms ("UnknownError", a JSON syntax error with
 * a hint about a hidden field). Says what came back instead, or undefined.
 */
export function notAnApiAnswer(error: unknown): string | undefined {
  const e = error as {
    name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: unknown }; $response?: { headers?: Record<string, string> };
  } | undefined;
  const status = e?.$metadata?.httpStatusCode;
  if (typeof status !== 'number' || e?.$response === undefined) return undefined;
  const unreadable = e.name === 'SyntaxError' || e.name === 'Unknown' || e.message === 'UnknownError';
  if (!unreadable) return undefined;
  const contentType = e.$response.headers?.['content-type'];
  return `the endpoint answered HTTP ${status} ${contentType ? `(${oneLine(contentType)})` : 'with no content type'}, not a WorkSpaces API answer`;
}
