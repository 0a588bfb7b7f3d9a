// The linter of the interactive map's scripts (geoconflict/maps/static/*.js): `make lint`.
// The scripts are ES5 functions wrapped in an IIFE, run in the browser beside Leaflet (the
// global L) and the map's own namespace (window.geoconflict); they are shipped as written,
// with no build step.
import js from "@eslint/js";
import globals from "globals";

export default [
  js.configs.recommended,
  {
    files: ["geoconflict/maps/static/**/*.js"],
    languageOptions: {
      ecmaVersion: 5,
      sourceType: "script",
      // ES5 syntax; the typed arrays, Intl and the other built-ins of later editions that
      // every browser Leaflet 1.9 supports has
      globals: { ...globals.builtin, ...globals.browser, L: "readonly" },
    },
    rules: {
      strict: ["error", "function"],
      "no-var": "off",
      "no-unused-vars": ["error", { args: "none", caughtErrors: "none" }],
      "no-shadow": "error",
      "no-redeclare": "error",
      "no-implicit-globals": "error",
      "no-use-before-define": ["error", { functions: false }],
      "guard-for-in": "error",
      eqeqeq: ["error", "always"],
      curly: ["error", "all"],
      "no-eval": "error",
      "no-implied-eval": "error",
      "no-new-func": "error",
      "no-script-url": "error",
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: "Data text reaches the page as text nodes." },
        { property: "outerHTML", message: "Data text reaches the page as text nodes." },
        { property: "insertAdjacentHTML", message: "Data text reaches the page as text nodes." },
      ],
      "max-len": ["error", { code: 100, ignoreUrls: true }],
    },
  },
];
