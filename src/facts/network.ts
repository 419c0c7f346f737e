import { Type, type Static } from "@sinclair/typebox";
import { Known, Str, Num, Bool, StrList, Nullable } from "./unknown.js";
import { ProbeSchema } from "../network/reachability.js";

/**
 * Network facts for one `--network` target, filled by the nmap collector (src/collectors/network.ts).
 * Collections are flat lists with a `label` on every item, so rules iterate them with `each`/`count`
 * and name what failed. Device classes and segment summaries are derived facts with their reasons,
 * computed in src/network/, never in rules. docs/network.md describes every field.
 */


export const DEVICE_CLASSES = [
  "scanner",
  "gateway",
  "ephi-server",
  "directory-server",
  "medical-modality",
  "printer",
  "camera",
  "pos",
  "network-gear",
  "iot",
  "workstation",
  "guest",
  "unknown",
] as const;
export type DeviceClass = (typeof DEVICE_CLASSES)[number];

/**
 * Classes that are the network itself, not devices on it: the scanner's own addresses and the
 * segment's gateway/router. They are listed per segment as `infrastructure`, never in its classes.
 */
export const INFRASTRUCTURE_CLASSES: readonly DeviceClass[] = ["scanner", "gateway"];

/**
 * Trust zone of each device class. A segment holding more than one zone is flat; network gear has no
 * zone (switches and access points sit on every VLAN).
 */
export const TRUST_ZONES: Partial<Record<DeviceClass, string>> = {
  "ephi-server": "ephi",
  "directory-server": "ephi",
  "medical-modality": "clinical",
  workstation: "office",
  printer: "office",
  pos: "payment",
  camera: "iot",
  iot: "iot",
  guest: "guest",
  unknown: "unknown",
};
export const DeviceClassSchema = Type.Union(DEVICE_CLASSES.map((c) => Type.Literal(c)));

export const ScanInfo = Type.Object({
  profile: Type.Union([Type.Literal("quick"), Type.Literal("standard"), Type.Literal("thorough")]),
  /** nmap ran as root (SYN scan, UDP, OS detection possible). */
  privileged: Bool,
  scanType: Type.Union([Type.Literal("syn"), Type.Literal("connect")]),
  osDetection: Bool,
  /** `--from NAME`: the scan ran from this lower-trust vantage point; null for an ordinary scan. */
  vantage: Nullable(Str),
  nmapVersion: Nullable(Str),
  /** The nmap arguments used (targets after `--`). */
  args: StrList,
  /** runstats/finished was written with exit="success". */
  finished: Bool,
  exit: Nullable(Str),
  errormsg: Nullable(Str),
  elapsedSeconds: Nullable(Num),
  hostsUp: Nullable(Num),
  hostsTotal: Nullable(Num),
});

export const Tls = Type.Object({
  /** Protocol versions the server accepted, e.g. ["TLSv1.0", "TLSv1.2"]. */
  versions: StrList,
  /** Cipher suites nmap graded below A, as "VERSION SUITE (grade)". */
  weakCiphers: StrList,
  weakCipherCount: Num,
  /** nmap's overall least strength grade (A–F); unknown when not reported. */
  leastStrength: Known(Str),
});

export const Certificate = Type.Object({
  subject: Str,
  issuer: Str,
  /** Subject equals issuer. */
  selfSigned: Bool,
  notBefore: Nullable(Str),
  notAfter: Nullable(Str),
  /** notAfter is before the collection time. */
  expired: Known(Bool),
  /** Whole days from the collection time to notAfter (negative once expired). */
  daysLeft: Known(Num),
  signatureAlgorithm: Nullable(Str),
  keyType: Nullable(Str),
  keyBits: Nullable(Num),
});

export const SshAlgorithms = Type.Object({
  kex: StrList,
  hostKey: StrList,
  ciphers: StrList,
  macs: StrList,
});

export const Smb = Type.Object({
  dialects: StrList,
  /** NT LM 0.12 (SMBv1) offered; unknown when smb-protocols gave no answer. */
  smbv1: Known(Bool),
  /** SMB2+ message signing required; unknown when smb2-security-mode gave no answer. */
  signingRequired: Known(Bool),
});

export const Rdp = Type.Object({
  /** CredSSP (NLA) accepted. */
  nla: Known(Bool),
  /** Native RDP (no TLS, no NLA) security layer accepted. */
  nativeRdp: Known(Bool),
  securityLayers: StrList,
});

export const Http = Type.Object({
  title: Nullable(Str),
  /** The server asks for HTTP Basic/Digest authentication. */
  authRequired: Bool,
  /** Redirects to an https:// URL (http-title: "Did not follow redirect to https://…"). */
  redirectsToHttps: Bool,
  /** Title or auth prompt looks like a login page. */
  loginPage: Bool,
});

export const Service = Type.Object({
  /** `ADDRESS:PORT/PROTO NAME`, e.g. `10.77.1.10:443/tcp https`. */
  label: Str,
  host: Str,
  hostClass: DeviceClassSchema,
  ephi: Bool,
  port: Num,
  protocol: Str,
  state: Str,
  /** nmap service name (probed or from its port table), e.g. `ssh`, `http`, `telnet`. */
  name: Str,
  product: Nullable(Str),
  version: Nullable(Str),
  /** `ssl` when the service speaks TLS. */
  tunnel: Nullable(Str),
  tls: Nullable(Tls),
  certificate: Nullable(Certificate),
  ssh: Nullable(SshAlgorithms),
  smb: Nullable(Smb),
  rdp: Nullable(Rdp),
  http: Nullable(Http),
  /**
   * LDAP on this port offers StartTLS (ldap-rootdse supportedExtension 1.3.6.1.4.1.1466.20037); null when
   * the service is not LDAP, unknown when it is but the root DSE was not read.
   */
  ldapStartTls: Type.Union([Bool, Type.Null(), Known(Bool)]),
  /** SNMP versions answering with a community string (v1, v2c); empty when none seen. */
  snmpCommunityVersions: StrList,
});

export const Host = Type.Object({
  /** `ADDRESS (class)`, plus the inventory name when known. */
  label: Str,
  address: Str,
  mac: Nullable(Str),
  /** MAC vendor from nmap's OUI table (only when on-link). */
  vendor: Nullable(Str),
  hostname: Nullable(Str),
  /** Network hops from the scanner (1 = same L2 segment). */
  distance: Nullable(Num),
  /** Answered ARP/ND from the scanner (MAC seen): same broadcast domain as the scanner. */
  onLink: Bool,
  os: Nullable(Str),
  osAccuracy: Nullable(Num),
  /** Open ports as `PORT/PROTO`. */
  openPorts: StrList,
  /** Ports that answered (open or closed, not filtered) as `PORT/PROTO STATE`, plus `N closed` for unlisted ones. */
  answering: StrList,
  answeringCount: Num,
  /** Listed ports that answered (open or closed) as `PORT/PROTO`, e.g. `443/tcp`. */
  answeringPorts: StrList,
  /** `ADDRESS: 443/tcp open, 1000 closed` — used to name hosts in segmentation findings. */
  answeringSummary: Str,
  class: DeviceClassSchema,
  /** Why the class was chosen (inventory tag, ports, vendor, product, OS). */
  classReasons: StrList,
  /** Holds ePHI: class ephi-server, or inventory tag ephi: true. */
  ephi: Bool,
  /** The host is listed in the inventory; null when no inventory was given. */
  inInventory: Nullable(Bool),
  inventoryName: Nullable(Str),
  /** Segment (subnet) the host is grouped in. */
  segment: Str,
});

export const Segment = Type.Object({
  subnet: Str,
  /** `SUBNET: ePHI … shares it with …` — used to name segments in flat-network findings. */
  summary: Str,
  hostCount: Num,
  hosts: StrList,
  /** Device classes present, sorted. */
  classes: Type.Array(DeviceClassSchema),
  /** Classes other than ephi-server, each with its hosts: `printer: 10.77.1.20`. */
  classHosts: StrList,
  /** Trust zones of the classes present (ephi, clinical, office, payment, iot, guest, unknown), sorted. */
  zones: StrList,
  zoneCount: Num,
  /** The scanner's own addresses and the gateway, not counted as devices: `gateway: 10.77.2.1`. */
  infrastructure: StrList,
  ephiHosts: StrList,
  ephiHostCount: Num,
  /** Hosts answered ARP with a MAC: they share the scanner's broadcast domain. */
  onLink: Bool,
  /** What shows the hosts share one segment (subnet membership, ARP/MAC, distance 1). */
  evidence: StrList,
});

export const InventoryInfo = Type.Object({
  /** An inventory of hosts was given for this scan. */
  provided: Bool,
  /** Hosts seen that the inventory does not list. */
  unlisted: StrList,
});

export const NetworkFactsSchema = Type.Object(
  {
    scan: ScanInfo,
    hosts: Known(Type.Array(Host)),
    services: Known(Type.Array(Service)),
    segments: Known(Type.Array(Segment)),
    inventory: InventoryInfo,
    /** `--from` segmentation tests: the -Pn probe of the ePHI service ports and what answered; null otherwise. */
    probe: Type.Optional(Nullable(ProbeSchema)),
  },
  { additionalProperties: false, title: "NetworkFacts" },
);
export type NetworkFacts = Static<typeof NetworkFactsSchema>;
export type HostFact = Static<typeof Host>;
export type ServiceFact = Static<typeof Service>;
export type SegmentFact = Static<typeof Segment>;
