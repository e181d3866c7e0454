/**
 * One copy of each module across the handler's bundles (projenrc/bundle-handler.ts). An
 * on-demand bundle (targets.js, say) reaches many modules index.js already holds (the
 * WorkSpaces client, the contract, the resource properties): rather than carry copies of
 * them, it takes them from index.js at run time. index.js exports, besides the handler,
 * `__modules`: for each module an on-demand bundle takes, the names it takes, by the
 * module's path; the on-demand bundle resolves that module to
 * `module.exports = require('./index.js').__modules['<path>']`. Lambda loads index.js (the
 * function's handler module) before anything else, and Node.js keeps one instance of a file
 * whether require() or import() loaded it, so `require('./index.js')` from the same folder
 * returns the very module Lambda runs: one instance of each module, its state and classes
 * shared (an error class's `instanceof` holds across the files).
 */
import * as path from 'node:path';
import { build, BuildOptions, Metafile, Plugin } from 'esbuild';
import * as ts from 'typescript';

const ROOT = path.join(__dirname, '..');
/** The namespace of the modules an on-demand bundle takes from index.js. */
const FROM_INDEX = 'from-index-js';
/** Marks the resolutions this file's plugins ask esbuild for, so that they do not answer their own. */
const OWN_RESOLUTION = Symbol('own resolution');

/** For each module an on-demand bundle takes from index.js (by key), the names it takes; '*' for its whole namespace. */
export type TakenNames = Map<string, Set<string>>;

/** Which of index.js's modules a bundle may take: all of them, or only our own sources (not the packages'). */
export type Sharing = 'all' | 'ours';

/** A module's key: its path from the project's root (`core/workspaces-client.ts`, `node_modules/@smithy/signature-v4/dist-es/index.js`). */
const keyOf = (file: string) => path.relative(ROOT, path.resolve(ROOT, file)).split(path.sep).join('/');

const isOurs = (key: string) => !key.split('/').includes('node_modules');

/** The ES modules index.js holds (from its build's metafile, with `absWorkingDir` the root): their keys and files. */
export class IndexModules {
  public static of(metafile: Metafile): IndexModules {
    const modules = new Map<string, string>();
    for (const [input, { format }] of Object.entries(metafile.inputs)) {
      // CommonJS modules and JSON are not shared: their exports are not names an import can list.
      if (format === 'esm') modules.set(keyOf(input), path.resolve(ROOT, input));
    }
    return new IndexModules(modules);
  }

  private constructor(private readonly modules: ReadonlyMap<string, string>) {}

  /**
   * The modules of index.js a bundle built with `options` imports (each the first on its
   * path: what those import is not the bundle's business) and the names it imports from
   * each. Read from an ES-module build of it in which those modules are left as imports.
   */
  public async takenBy(options: BuildOptions, sharing: Sharing): Promise<TakenNames> {
    const probe = await build({
      ...options,
      format: 'esm',
      minify: false,
      write: false,
      metafile: false,
      plugins: [this.plugin(sharing, 'import'), ...(options.plugins ?? [])],
    });
    const code = ts.createSourceFile('probe.js', probe.outputFiles[0].text, ts.ScriptTarget.Latest, false, ts.ScriptKind.JS);
    const taken: TakenNames = new Map();
    const take = (key: string, names: string[]) => {
      const all = taken.get(key) ?? new Set<string>();
      names.forEach((name) => all.add(name));
      taken.set(key, all);
    };
    for (const statement of code.statements) {
      const from = (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) && statement.moduleSpecifier
        && ts.isStringLiteral(statement.moduleSpecifier) ? statement.moduleSpecifier.text : undefined;
      if (from === undefined || !this.modules.has(from)) continue;
      if (ts.isImportDeclaration(statement)) {
        const clause = statement.importClause;
        const bindings = clause?.namedBindings;
        take(from, [
          ...(clause?.name ? ['default'] : []),
          ...(bindings && ts.isNamespaceImport(bindings) ? ['*'] : []),
          ...(bindings && ts.isNamedImports(bindings) ? bindings.elements.map((e) => (e.propertyName ?? e.name).text) : []),
        ]);
      } else if (ts.isExportDeclaration(statement)) {
        const clause = statement.exportClause;
        take(from, clause && ts.isNamedExports(clause) ? clause.elements.map((e) => (e.propertyName ?? e.name).text) : ['*']);
      }
    }
    return taken;
  }

  /**
   * The entry of index.js: `handlerModule`'s exports, and `__modules`, each taken module's
   * taken names as getters (live, as an import's are), or its namespace.
   */
  public entry(handlerModule: string, taken: TakenNames): string {
    const keys = [...taken.keys()].sort();
    const file = (key: string) => JSON.stringify(this.modules.get(key)!);
    const imports = keys.map((key, i) => (taken.get(key)!.has('*')
      ? `import * as m${i} from ${file(key)};`
      : `import { ${[...taken.get(key)!].map((name) => `${name} as m${i}_${name}`).join(', ')} } from ${file(key)};`));
    const entries = keys.map((key, i) => `  ${JSON.stringify(key)}: ${taken.get(key)!.has('*')
      ? `m${i}`
      : `{ ${[...taken.get(key)!].map((name) => `get ${name}() { return m${i}_${name}; }`).join(', ')} }`}`);
    return [
      // As esbuild writes for our TypeScript (tsconfig's strict): the bundle runs in strict mode, as ES modules do.
      '\'use strict\';',
      `export * from ${JSON.stringify(path.join(ROOT, handlerModule))};`,
      ...imports,
      `export const __modules = {\n${entries.join(',\n')}\n};`,
      '',
    ].join('\n');
  }

  /**
   * The modules of index.js a bundle (of `metafile`) still carries a copy of, though it
   * could take them: those it reaches other than by an import statement (a require()).
   */
  public copiesIn(metafile: Metafile, sharing: Sharing): string[] {
    return Object.values(metafile.outputs).flatMap((output) => Object.entries(output.inputs))
      .filter(([input, { bytesInOutput }]) => bytesInOutput > 0 && this.takes(keyOf(input), sharing))
      .map(([input]) => keyOf(input));
  }

  /**
   * Resolves an ES import of a module index.js holds (of our sources only, for `ours`) to
   * index.js's instance of it (`take`), or leaves it as an import (`import`, to read which
   * names the bundle takes).
   */
  public plugin(sharing: Sharing, as: 'take' | 'import'): Plugin {
    return {
      name: 'modules-from-index-js',
      setup: (shared) => {
        shared.onResolve({ filter: /.*/ }, async (args) => {
          if (args.namespace === FROM_INDEX) return { path: args.path, external: true };
          if (args.kind !== 'import-statement' || args.pluginData === OWN_RESOLUTION) return undefined;
          const resolved = await shared.resolve(args.path, {
            kind: args.kind, importer: args.importer, resolveDir: args.resolveDir, namespace: args.namespace, pluginData: OWN_RESOLUTION,
          });
          if (resolved.errors.length > 0 || resolved.external || resolved.namespace !== 'file') return undefined;
          const key = keyOf(resolved.path);
          if (!this.takes(key, sharing)) return undefined;
          return as === 'import' ? { path: key, external: true } : { path: key, namespace: FROM_INDEX };
        });
        shared.onLoad({ filter: /.*/, namespace: FROM_INDEX }, (args) => ({
          contents: `module.exports = require('./index.js').__modules[${JSON.stringify(args.path)}];`,
          loader: 'js',
        }));
      },
    };
  }

  /** Whether a bundle of `sharing` takes the module of `key` from index.js. */
  private takes(key: string, sharing: Sharing): boolean {
    return this.modules.has(key) && (sharing === 'all' || isOurs(key));
  }
}
