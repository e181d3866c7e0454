import type { EmulatedAccountLink } from '../../src/emulator/links-file';

export const SOURCE_ACCOUNT = '111122223333';
export const TARGET_ACCOUNT = '444455556666';

/** A link from SOURCE_ACCOUNT to `target`, with an id made from `n`. */
export function link(n: number, status: string, target = String(100000000000 + n)): EmulatedAccountLink {
  return {
    AccountLinkId: `link-${String(n).padStart(8, '0')}`,
    AccountLinkStatus: status,
    SourceAccountId: SOURCE_ACCOUNT,
    TargetAccountId: target,
  };
}
