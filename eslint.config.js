// @ts-check
import tseslint from "typescript-eslint";

const nodeModules = ["node:*", "fs", "path", "os", "child_process", "worker_threads", "url", "crypto", "util"];
const domGlobals = ["window", "document", "navigator", "localStorage", "sessionStorage", "location", "self"];

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "web/dist/**", ".exp/**", "bench/.suites/**", "test-results/**"] },
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    languageOptions: { parserOptions: { projectService: true } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "error",
    },
  },
  {
    // The core is isomorphic: no Node modules, no DOM globals.
    files: ["core/**/*.ts"],
    ignores: ["core/**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: nodeModules.map((name) => ({ group: [name], message: "core/ must stay host-free: move host code to node-host/ or web/." })) }],
      "no-restricted-globals": ["error", ...domGlobals.map((name) => ({ name, message: "core/ must stay host-free: no DOM globals." })), { name: "process", message: "core/ must stay host-free: no Node globals." }, { name: "Buffer", message: "core/ must stay host-free: no Node globals." }],
    },
  },
  {
    // Where printing is the job: the CLI entry, the bench and the tests.
    files: ["node-host/cli.ts", "node-host/bin/**", "bench/**/*.ts", "test/**/*.ts"],
    rules: { "no-console": "off" },
  },
);
