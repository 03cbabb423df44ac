// Lint: the recommended JavaScript and type-aware TypeScript rules, plus the project's
// invariants that a linter can hold (no tenant from headers, no focused or skipped tests).
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".data/", ".wrangler/", "public/", "coverage/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: "module" },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.object.name=/^(it|test|describe)$/][callee.property.name=/^(only|skip|todo)$/]", message: "No focused, skipped or todo tests." },
      ],
    },
  },
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
