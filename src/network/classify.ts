import type { NmapHost } from "../transports/nmap/host.js";
import { DEVICE_CLASSES, type DeviceClass } from "../facts/network.js";

/**
 * Device class of one host, with the reasons. An inventory entry wins (its `class` tag, or
 * `ephi: true`); otherwise the evidence is the open ports, the MAC vendor, the service products and
 * nmap's OS/device type. When several classes match, the one highest in PRIORITY is chosen and every
 * reason is kept, so a reader sees why.
 */

export interface InventoryHost {
  address: string;
  name?: string;
  tags: Record<string, string | boolean>;
}

/** What the scanner knows about its own side of the network (read by the CLI, passed in). */
export interface ScannerView {
  /** The scanner's own addresses. */
  addresses?: ReadonlySet<string>;
  /** Gateways of the scanner's routes. */
  gateways?: ReadonlySet<string>;
}

export interface Classification {
  class: DeviceClass;
  reasons: string[];
  ephi: boolean;
}

/** The most telling class wins: DEVICE_CLASSES is listed in that order. */
const PRIORITY: readonly DeviceClass[] = DEVICE_CLASSES;

const PORT_CLASSES: { ports: number[]; cls: DeviceClass; what: string }[] = [
  { ports: [1433, 1521, 3306, 5432, 27017, 50000], cls: "ephi-server", what: "database" },
  { ports: [88, 389, 464, 636, 3268, 3269], cls: "directory-server", what: "directory/identity (Kerberos/LDAP/kpasswd/global catalog)" },
  { ports: [2049], cls: "ephi-server", what: "NFS file server" },
  { ports: [104, 11112], cls: "medical-modality", what: "DICOM" },
  { ports: [2575], cls: "medical-modality", what: "HL7 MLLP" },
  { ports: [9100, 515, 631], cls: "printer", what: "printing (JetDirect/LPD/IPP)" },
  { ports: [554, 8554], cls: "camera", what: "RTSP video" },
  { ports: [1883, 8883, 5683, 1900, 5353], cls: "iot", what: "IoT (MQTT/CoAP/UPnP/mDNS)" },
  { ports: [502, 47808], cls: "iot", what: "building automation (Modbus/BACnet)" },
  { ports: [179, 830], cls: "network-gear", what: "routing/NETCONF" },
  { ports: [3389, 5900], cls: "workstation", what: "remote desktop (RDP/VNC)" },
];

const VENDOR_CLASSES: { re: RegExp; cls: DeviceClass }[] = [
  { re: /hewlett|\bhp\b|brother|canon|epson|lexmark|xerox|kyocera|ricoh|konica|sharp/i, cls: "printer" },
  { re: /axis|hikvision|dahua|hanwha|vivotek|avigilon|mobotix/i, cls: "camera" },
  { re: /verifone|ingenico|pax tech|clover/i, cls: "pos" },
  { re: /cisco|juniper|aruba|ubiquiti|mikrotik|netgear|tp-link|fortinet|palo alto|meraki|d-link/i, cls: "network-gear" },
  { re: /espressif|tuya|shelly|nest|ring|sonos|philips lighting|signify|raspberry/i, cls: "iot" },
  { re: /ge healthcare|siemens healthineers|philips medical|carestream|fujifilm|agfa|hologic|canon medical/i, cls: "medical-modality" },
];

const PRODUCT_CLASSES: { re: RegExp; cls: DeviceClass; what: string }[] = [
  { re: /openemr|epic|cerner|athena|eclinicalworks|nextgen|meditech|allscripts/i, cls: "ephi-server", what: "EHR product" },
  { re: /orthanc|dcm4che|pacs/i, cls: "ephi-server", what: "imaging archive (PACS)" },
  { re: /postgresql|mysql|mariadb|microsoft sql|oracle|mongodb/i, cls: "ephi-server", what: "database product" },
  { re: /jetdirect|cups|printer|laserjet|officejet/i, cls: "printer", what: "printer product" },
  { re: /camera|dvr|nvr|rtsp/i, cls: "camera", what: "camera product" },
];

/** EHR/PACS/patient-portal front ends, named in HTTP titles, server headers or certificate subjects. */
const EPHI_WEB = /openemr|epic|cerner|athena|eclinicalworks|nextgen|meditech|allscripts|practice fusion|kareo|drchrono|orthanc|dcm4chee?|\bpacs\b|\behr\b|\bemr\b|patient portal|electronic (health|medical) record/i;
const WEB_SCRIPTS = ["http-title", "http-server-header", "ssl-cert"] as const;

/** The text nmap's scripts showed for one port (title, server header, certificate subject), one line each. */
function webIdentity(p: NmapHost["ports"][number]): string[] {
  const out: string[] = [];
  for (const id of WEB_SCRIPTS) {
    const s = p.scripts.find((x) => x.id === id);
    if (!s) continue;
    const text = id === "ssl-cert" ? (s.output.split("\n").find((l) => /subject:/i.test(l)) ?? "") : s.output.split("\n")[0]!;
    if (text.trim()) out.push(`${id === "ssl-cert" ? "certificate" : id === "http-title" ? "HTTP title" : "HTTP server"} "${text.trim().slice(0, 80)}"`);
  }
  return out;
}

const DEVICE_TYPES: { re: RegExp; cls: DeviceClass }[] = [
  { re: /printer/i, cls: "printer" },
  { re: /webcam|camera/i, cls: "camera" },
  { re: /router|switch|firewall|WAP|bridge|load balancer/i, cls: "network-gear" },
  { re: /media device|game console|specialized|storage-misc|PDA|phone/i, cls: "iot" },
];

function isClass(v: unknown): v is DeviceClass {
  return typeof v === "string" && (DEVICE_CLASSES as readonly string[]).includes(v);
}

export function classifyHost(host: NmapHost, inv: InventoryHost | undefined, scanner: ScannerView = {}): Classification {
  const found = new Map<DeviceClass, string[]>();
  const add = (cls: DeviceClass, why: string) => found.set(cls, [...(found.get(cls) ?? []), why]);
  const open = host.ports.filter((p) => p.state === "open");
  const openNums = new Set(open.map((p) => p.port));

  for (const pc of PORT_CLASSES) {
    const hit = pc.ports.filter((p) => openNums.has(p));
    if (hit.length > 0) add(pc.cls, `${pc.what} port${hit.length > 1 ? "s" : ""} ${hit.join(", ")} open`);
  }
  // DICOM next to a database or web front end is an imaging archive (PACS), not a modality.
  if (found.has("medical-modality") && found.has("ephi-server")) {
    add("ephi-server", "DICOM together with a database: imaging archive");
  }
  if (host.vendor) {
    for (const vc of VENDOR_CLASSES) if (vc.re.test(host.vendor)) add(vc.cls, `MAC vendor ${host.vendor}`);
  }
  for (const p of open) {
    const product = [p.service?.product, p.service?.extrainfo].filter(Boolean).join(" ");
    if (!product) continue;
    for (const pc of PRODUCT_CLASSES) {
      if (pc.re.test(product)) add(pc.cls, `${pc.what} on ${p.port}/${p.protocol}: ${product.slice(0, 80)}`);
    }
  }
  for (const p of open) {
    for (const what of webIdentity(p)) {
      if (EPHI_WEB.test(what)) add("ephi-server", `ePHI web front end on ${p.port}/${p.protocol}: ${what}`);
    }
  }
  const serviceTypes = host.ports.map((p) => p.service?.devicetype).filter((t): t is string => typeof t === "string");
  for (const t of new Set(serviceTypes)) for (const dt of DEVICE_TYPES) if (dt.re.test(t)) add(dt.cls, `service device type "${t}"`);
  // OS fingerprints of small lab-like stacks often half-match appliances: only a confident guess, and
  // only when nothing stronger was found.
  const best = host.osMatches[0];
  if (found.size === 0 && best && (best.accuracy ?? 0) >= 95) {
    const osTypes = host.osClasses.filter((c) => (c.accuracy ?? 0) >= 95).map((c) => c.type).filter((t): t is string => typeof t === "string");
    for (const t of new Set(osTypes)) for (const dt of DEVICE_TYPES) if (dt.re.test(t)) add(dt.cls, `OS guess "${best.name}" is a ${t}`);
  }
  if (host.mac === null && (host.traceHops === 1 || (host.traceHops === null && host.distance === 1 && open.length === 0))) {
    add("gateway", "one routed hop from the scanner with no MAC seen: the subnet's gateway");
  }
  if (host.address && scanner.gateways?.has(host.address)) add("gateway", "a gateway in the scanner's routing table");
  // Off-link (no MAC) yet every answer arrives with an unhopped initial TTL: the router answering for its own address.
  const listed = host.ports.filter((p) => p.state === "open" || p.state === "closed").map((p) => p.reasonTtl ?? 0);
  const ttls = listed.length > 0 ? listed : [host.statusTtl ?? 0];
  if (host.mac === null && ttls.every((t) => t === 64 || t === 128 || t === 255)) {
    add("gateway", `off-link, yet answers arrive with an unrouted TTL (${ttls[0]}): the router's own address`);
  }
  if (host.statusReason === "localhost-response") add("scanner", "nmap saw its own address (localhost-response)");
  else if (host.address && scanner.addresses?.has(host.address)) add("scanner", "one of the scanner's own addresses");
  if (openNums.has(445) && (openNums.has(135) || openNums.has(139)) && !found.has("ephi-server")) {
    add("workstation", "Windows file/RPC ports 135/139/445 open");
  }

  let cls: DeviceClass = PRIORITY.find((c) => found.has(c)) ?? "unknown";
  const invReasons: string[] = [];
  if (inv) {
    const tagClass = inv.tags["class"];
    if (isClass(tagClass)) {
      if (tagClass !== cls) invReasons.push(`inventory tag class: ${tagClass}`);
      cls = tagClass;
    }
    if (inv.tags["ephi"] === true) {
      if (!isClass(tagClass)) cls = "ephi-server";
      invReasons.unshift("inventory tag ephi: true");
    } else if (inv.tags["ephi"] === false) {
      if (cls === "ephi-server") cls = "unknown";
      invReasons.unshift("inventory tag ephi: false");
    }
  }
  const reasons = [...invReasons, ...(found.get(cls) ?? [])];
  if (found.size === 0) reasons.push(open.length === 0 ? "no open ports seen" : `no identifying service on ${open.map((p) => `${p.port}/${p.protocol}`).join(", ")}`);
  // Directory servers hold the credentials that open every ePHI system: ePHI-critical.
  const ephi = inv?.tags["ephi"] === true || (inv?.tags["ephi"] !== false && (cls === "ephi-server" || cls === "directory-server"));
  // Other matches stay visible as secondary reasons.
  for (const [c, why] of found) if (c !== cls) reasons.push(...why.map((w) => `also ${c}: ${w}`));
  return { class: cls, reasons, ephi };
}
