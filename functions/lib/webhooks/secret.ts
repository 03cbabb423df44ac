// A Standard Webhooks signing secret: whsec_ + base64 of 32 random bytes (the form the
// `standardwebhooks` package and receivers' libraries take as is).
export function newWebhookSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `whsec_${btoa(String.fromCharCode(...bytes))}`;
}
