/**
 * One line a person can act on, from whatever was thrown: the message, prefixed with the
 * error's name for AWS API errors (and the `ResourceId` a ResourceNotFoundException
 * carries), never a stack trace.
 */
export function describeError(error: unknown): string {
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
