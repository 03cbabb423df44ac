// The schemas this service provider understands (RFC 7643 §8.7.1), trimmed to what it stores
// as columns and acts on; every other attribute a client sends is kept and returned as sent.
import { SCHEMAS } from "../../lib/scim/constants.ts";

interface Attr {
  name: string;
  type: "string" | "boolean" | "complex" | "dateTime" | "reference";
  multiValued?: boolean;
  required?: boolean;
  caseExact?: boolean;
  mutability?: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned?: "always" | "never" | "default" | "request";
  uniqueness?: "none" | "server" | "global";
  subAttributes?: Attr[];
  referenceTypes?: string[];
}

const attr = (a: Attr) => ({
  multiValued: false, required: false, caseExact: false, mutability: "readWrite", returned: "default", uniqueness: "none", description: a.name, ...a,
});
const s = (name: string, extra: Partial<Attr> = {}) => attr({ name, type: "string", ...extra });
const multi = (name: string) =>
  attr({ name, type: "complex", multiValued: true, subAttributes: [s("value"), s("display"), s("type"), attr({ name: "primary", type: "boolean" })].map((x) => x as Attr) });

export const SCHEMA_DEFINITIONS = [
  {
    id: SCHEMAS.user,
    name: "User",
    description: "User Account",
    attributes: [
      s("userName", { required: true, uniqueness: "server" }),
      attr({ name: "name", type: "complex", subAttributes: ["formatted", "familyName", "givenName", "middleName", "honorificPrefix", "honorificSuffix"].map((n) => s(n) as Attr) }),
      s("displayName"),
      s("nickName"),
      s("title"),
      s("preferredLanguage"),
      s("locale"),
      s("timezone"),
      attr({ name: "active", type: "boolean" }),
      multi("emails"),
      multi("phoneNumbers"),
      s("externalId", { caseExact: true }),
    ],
  },
  {
    id: SCHEMAS.enterprise,
    name: "EnterpriseUser",
    description: "Enterprise User",
    attributes: [s("employeeNumber"), s("costCenter"), s("organization"), s("division"), s("department"),
      attr({ name: "manager", type: "complex", subAttributes: [s("value") as Attr, s("displayName", { mutability: "readOnly" }) as Attr] })],
  },
  {
    id: SCHEMAS.group,
    name: "Group",
    description: "Group",
    attributes: [
      s("displayName", { required: true, uniqueness: "server" }),
      attr({ name: "members", type: "complex", multiValued: true, subAttributes: [s("value", { mutability: "immutable" }) as Attr, attr({ name: "$ref", type: "reference", referenceTypes: ["User"], mutability: "immutable" }) as Attr, s("display", { mutability: "readOnly" }) as Attr] }),
      s("externalId", { caseExact: true }),
    ],
  },
];
