/** What a lane (lane.ts) prints at its end, on one line after RESULT_PREFIX. */
export interface LaneResult {
  readonly seed: number;
  readonly runs: number;
  readonly ms: number;
  /** fast-check's report of the failure, undefined when every history held. */
  readonly failure?: string;
}

export const RESULT_PREFIX = 'RESULT ';
