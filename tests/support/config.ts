// The Worker's configuration under test: the same variables production sets, with local values.
export const TEST_ISSUER = "http://127.0.0.1:54321/auth/v1";
export const TEST_AUDIENCE = "authenticated";
export const API_HOST = "api.aioffice.test";
export const TENANT_HOST_SUFFIX = ".api.aioffice.test";
export const ALLOWED_ORIGIN = "https://app.aioffice.test";
export const PUBLIC_API_URL = "https://api.aioffice.test";

export function workerTestBindings(secrets: { devSecret: string; jwks: string }): Record<string, string> {
  return {
    ENVIRONMENT: "test",
    AUTH_ISSUER: TEST_ISSUER,
    AUTH_AUDIENCE: TEST_AUDIENCE,
    AUTH_DEV_SECRET: secrets.devSecret,
    AUTH_JWKS: secrets.jwks,
    TENANT_HOST_SUFFIX,
    API_HOSTS: API_HOST,
    CORS_ORIGINS: ALLOWED_ORIGIN,
    PUBLIC_API_URL,
    // Access lines and refused-token notes would drown the test report; warnings still show.
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? "warn",
  };
}
