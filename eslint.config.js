// Lint: the recommended JavaScript and TypeScript rules, type-aware promise rules, plus the project's
// invariants that a linter can hold (no tenant from headers, no focused or skipped tests).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".data/", ".wrangler/", "public/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware: no-floating-promises guards db.tx's contract (every statement awaited in its
    // flight) and the stand-ins' servers (an unawaited promise is a lost error).
    languageOptions: { ecmaVersion: 2023, sourceType: "module", parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": ["error", { checksVoidReturn: { arguments: false } }],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip|todo)$/]", message: "No focused, skipped or todo tests." },
      ],
    },
  },
  { files: ["**/*.js"], ...tseslint.configs.disableTypeChecked },
  {
    files: ["functions/**/*.ts", "shared/**/*.ts"],
    rules: {
      "no-restricted-syntax": [
        "error",
        { selector: "Literal[value=/^x-tenant-/i]", message: "The tenant comes only from the verified token, never a header." },
        { selector: "Literal[value=/service_role|bypassrls/i]", message: "Request paths never use a service role or BYPASSRLS." },
      ],
    },
  },
);
