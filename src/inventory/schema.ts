import { Type, type Static } from "@sinclair/typebox";

/**
 * The `--inventory` file (YAML). Strict: an unknown key is an error with file:line:col.
 *
 * ```yaml
 * defaults: { user: scan, sudo: true, identity: ~/.ssh/scan_ed25519, tags: { site: main } }
 * groups:
 *   front-desk:
 *     tags: { ephi: true }
 *     hosts: [ssh://10.0.0.5, { host: 10.0.0.6, user: admin }, { cidr: 10.0.1.0/28 }]
 * targets: [ssh://db.clinic.example:2222, ldaps://dc1.clinic.example/DC=clinic,DC=example]
 * networks: [{ cidr: 10.0.0.0/24, tags: { ephi: true } }]
 * ```
 */

const Tags = Type.Record(Type.String({ pattern: "^[A-Za-z][A-Za-z0-9_.-]{0,63}$" }), Type.Union([Type.String(), Type.Boolean()]), {
  description: "Inventory tags such as ephi: true; later levels (group, host) override earlier ones.",
});

/** Settings that may appear in defaults, a group, or one host. */
const settings = {
  user: Type.Optional(Type.String({ minLength: 1, maxLength: 256, description: "Login user" })),
  port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535 })),
  identity: Type.Optional(
    Type.Union([Type.String({ minLength: 1 }), Type.Array(Type.String({ minLength: 1 }), { minItems: 1 })], {
      description: "Private key file(s); relative paths are relative to the inventory file",
    }),
  ),
  knownHosts: Type.Optional(Type.String({ minLength: 1, description: "known_hosts file for these hosts" })),
  acceptNewHostKeys: Type.Optional(Type.Boolean()),
  jump: Type.Optional(Type.String({ minLength: 1, description: "[user@]host[:port] of a jump host" })),
  sudo: Type.Optional(Type.Boolean()),
  timeout: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 86_400, description: "Per-host deadline in seconds" })),
  tags: Type.Optional(Tags),
};

export const HostSettingsSchema = Type.Object(settings, { additionalProperties: false });

const HostObject = Type.Object(
  {
    target: Type.Optional(Type.String({ minLength: 1, description: "A target URI: ssh://…, winrm(s)://…, ldap(s)://…" })),
    host: Type.Optional(Type.String({ minLength: 1, description: "Host name or address, scanned over SSH" })),
    cidr: Type.Optional(Type.String({ minLength: 1, description: "Every address of this range, scanned over SSH" })),
    ...settings,
  },
  { additionalProperties: false },
);

const HostEntry = Type.Union([Type.String({ minLength: 1 }), HostObject]);

const Group = Type.Object({ ...settings, hosts: Type.Array(HostEntry) }, { additionalProperties: false });

const NetworkEntry = Type.Union([
  Type.String({ minLength: 1 }),
  Type.Object({ cidr: Type.String({ minLength: 1 }), tags: Type.Optional(Tags) }, { additionalProperties: false }),
]);

export const InventorySchema = Type.Object(
  {
    version: Type.Optional(Type.Literal(1)),
    defaults: Type.Optional(HostSettingsSchema),
    groups: Type.Optional(Type.Record(Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$" }), Group)),
    targets: Type.Optional(Type.Array(HostEntry)),
    networks: Type.Optional(Type.Array(NetworkEntry, { description: "Ranges for the nmap collector (--network)" })),
  },
  {
    additionalProperties: false,
    $id: "https://hipaa-scan.dev/schemas/inventory.schema.json",
    title: "hipaa-scan inventory",
  },
);

export type Inventory = Static<typeof InventorySchema>;
export type HostSettings = Static<typeof HostSettingsSchema>;
export type HostObjectEntry = Static<typeof HostObject>;
