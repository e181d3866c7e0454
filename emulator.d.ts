// `import ... from 'cdk-workspaces-account-links/emulator'`: the account-links emulator for tests.
export * from './lib/emulator/index';
