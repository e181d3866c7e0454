import { NotAnApiAnswerError, WorkSpacesApiError } from './workspaces-client';

/**
 * One line a person can act on, from whatever was thrown: the message, prefixed with the
 * error's name for AWS API errors (and the `ResourceId` a ResourceNotFoundException
 * carries), never a stack trace.
 */
export function describeError(error: unknown): string {
  if (error instanceof WorkSpacesApiError) {
    const resourceId = error.resourceId && !error.message.includes(error.resourceId) ? ` (ResourceId ${error.resourceId})` : '';
    return oneLine(`${error.name}: ${error.message}${resourceId}`);
  }
  if (error instanceof NotAnApiAnswerError) {
    // Its message says what answered instead of the API.
    return oneLine(error.message);
  }
  if (error instanceof Error) {
    // An SDK client's error (STS, for an assumed role) carries $metadata: its name says what it is.
    return oneLine('$metadata' in error ? `${error.name}: ${error.message}` : error.message);
  }
  return oneLine(String(error));
}

/** Folds white space (newlines included) so the text is one line. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
