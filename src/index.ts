export * from './account-link-status';
export * from './account-link';
export * from './account-links';
export * from './account-link-check-step';
export * from './access-options';
export * from './account-link-invitation';
export * from './account-link-acceptance';
export * from './account-links-provider';
