// The run against the newest aws-cdk-lib (`npx projen test:newest`): the construct and
// compliance tests, and the example app (synthesized on both ends: test/newest), with
// aws-cdk-lib, constructs and cdk-nag from this folder. Everything else as the main run.
'use strict';
const path = require('node:path');
const { NAMES, NODE_MODULES } = require('./packages');

const main = require('../../package.json').jest;
const names = NAMES.map((n) => n.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&')).join('|');

module.exports = {
  ...main,
  rootDir: path.join(__dirname, '..', '..'),
  moduleNameMapper: { [`^(${names})(/.*)?$`]: `${NODE_MODULES}/$1$2` },
  testMatch: ['<rootDir>/test/constructs/**/*.test.ts', '<rootDir>/test/newest/**/*.test.ts', '<rootDir>/test/examples/private-network.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  collectCoverage: false,
  reporters: ['default'],
};
