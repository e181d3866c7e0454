export * from './account-link-status';
export * from './account-link';
export * from './account-links';
export * from './account-link-check-step';
