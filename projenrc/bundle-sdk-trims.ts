/**
 * esbuild plugins that keep the parts of the SDK the handler never runs out of its bundles
 * (projenrc/bundle-handler.ts), without changing what the TypeScript sources import: jest
 * and the type checker keep the SDK's public import paths.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Plugin } from 'esbuild';

const ROOT = path.join(__dirname, '..');

/**
 * The SDK clients' endpoint rules (core/endpoints.ts imports their CommonJS files, which
 * jest loads in process): bundled from the ES-module builds instead, whose imports share
 * the one @smithy/core the rest of the bundle uses.
 */
export const SDK_ENDPOINT_RULES_AS_MODULES: Plugin = {
  name: 'sdk-endpoint-rules-as-modules',
  setup(rules) {
    rules.onResolve({ filter: /^@aws-sdk\/client-[a-z]+\/dist-cjs\/endpoint\/bdd$/ }, (args) => ({
      path: require.resolve(args.path.replace('/dist-cjs/', '/dist-es/') + '.js', { paths: [ROOT] }),
    }));
  },
};

/**
 * @smithy/core's entry points (`@smithy/core/endpoints`, `/retry`, `/serde`) build some of
 * their exports at load time with factory calls (`export const endpointMiddleware =
 * bindEndpointMiddleware(getEndpointFromConfig)`). esbuild cannot tell that a call has no
 * side effects, so it keeps every such call, and with it the middleware, S3 customizations
 * and shared-ini-file loader they reach, in a bundle that imports one function from the
 * entry point (core/endpoints.ts takes `decideEndpoint`, core/workspaces-client.ts the
 * retry classifiers): about 15 KB of every cold start. The factories only build and return
 * functions or classes, so the calls are marked pure (`/* @__PURE__ *\/`): esbuild keeps
 * those whose export is used, as before, and drops the others. Were a new version to write
 * these lines otherwise, nothing breaks: the bundle is only bigger again (the size report shows it).
 */
export const SMITHY_ENTRY_POINTS_PURE: Plugin = {
  name: 'smithy-entry-points-pure',
  setup(pure) {
    pure.onLoad({ filter: /[\\/]@smithy[\\/]core[\\/]dist-es[\\/]submodules[\\/][a-z-]+[\\/]index\.js$/ }, (args) => ({
      contents: readFileSync(args.path, 'utf8')
        // export const retryMiddleware = bindRetryMiddleware(isStreamingPayload);
        .replace(/^(export const \w+ = )(bind[A-Z]\w*\()/gm, '$1/* @__PURE__ */ $2')
        // export class Uint8ArrayBlobAdapter extends bindUint8ArrayBlobAdapter(toUtf8, fromUtf8, toBase64, fromBase64) {\n}
        .replace(/^export class (\w+) extends (bind[A-Z]\w*\([^)]*\)) \{\s*\}/gm, 'export const $1 = /* @__PURE__ */ (() => class $1 extends $2 {})();'),
      loader: 'js',
      resolveDir: path.dirname(args.path),
    }));
  },
};

/**
 * The SDK's protocols load their event-stream code with a dynamic import of
 * `@smithy/core/event-streams` when an operation has an event-stream member, which esbuild
 * bundles whole (about 15 KB). STS, the one SDK client the handler carries (assume-role.js),
 * speaks the query protocol and AssumeRole has no such member, so that import is never
 * reached: in its place, a module that says so, should it ever be.
 */
export const NO_EVENT_STREAMS: Plugin = {
  name: 'no-event-streams',
  setup(noEventStreams) {
    noEventStreams.onResolve({ filter: /^@smithy\/core\/event-streams$/ }, (args) => (args.kind === 'dynamic-import'
      ? { path: args.path, namespace: 'not-bundled' } : undefined));
    noEventStreams.onLoad({ filter: /.*/, namespace: 'not-bundled' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled: the handler's SDK clients make no event-stream calls`)});`,
      loader: 'js',
    }));
  },
};

/**
 * The SDK clients import their whole package.json for one field, the version their
 * user agent carries (`packageInfo.version`); esbuild bundles a JSON default import whole
 * (@aws-sdk/nested-clients': 3.6 KB, its list of submodules and scripts). In its place, the
 * version alone, read from the same file at build time.
 */
export const SDK_PACKAGE_VERSION_ONLY: Plugin = {
  name: 'sdk-package-version-only',
  setup(versionOnly) {
    versionOnly.onLoad({ filter: /[\\/]node_modules[\\/]@aws-sdk[\\/][a-z-]+[\\/]package\.json$/ }, (args) => ({
      contents: JSON.stringify({ version: (JSON.parse(readFileSync(args.path, 'utf8')) as { version: string }).version }),
      loader: 'json',
    }));
  },
};
