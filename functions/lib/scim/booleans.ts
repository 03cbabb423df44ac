// Microsoft Entra ID sends booleans as strings ("active": "False"); Okta sends JSON booleans.
export function toBoolean(v: unknown): unknown {
  if (typeof v === "string" && /^(true|false)$/i.test(v.trim())) return v.trim().toLowerCase() === "true";
  return v;
}
