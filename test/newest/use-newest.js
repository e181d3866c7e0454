// Preloaded (`node -r`) into an app that must run on the newest aws-cdk-lib: every require
// of aws-cdk-lib, constructs or cdk-nag, from any file, resolves to this folder's copy, as
// jest's moduleNameMapper does for the tests (jest.config.js).
'use strict';
const Module = require('node:module');
const { NAMES } = require('./packages');

const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, isMain, options) {
  const ours = NAMES.some((n) => request === n || request.startsWith(`${n}/`));
  return resolve.call(this, request, parent, isMain, ours ? { ...options, paths: [__dirname] } : options);
};
