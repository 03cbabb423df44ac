// The tenant comes only from the verified token: any incoming x-tenant-* header is dropped at
// the fetch boundary, before any code could be tempted to read it.
export function stripTenantHeaders(request: Request): Request {
  // eslint-disable-next-line no-restricted-syntax -- the one place that names these headers: to drop them
  const names = [...request.headers.keys()].filter((name) => name.toLowerCase().startsWith("x-tenant-"));
  if (names.length === 0) return request;
  const headers = new Headers(request.headers);
  for (const name of names) headers.delete(name);
  return new Request(request, { headers });
}
