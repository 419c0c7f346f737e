/**
 * Scan profiles: the exact nmap arguments for each `--network-profile`. docs/network.md lists them;
 * test/unit/nmap/profiles.test.ts keeps the two in step.
 */

export type NetworkProfile = "quick" | "standard" | "thorough";

/** Ports that identify device classes and ePHI services, scanned by every profile. */
export const CLASS_PORTS = [
  21, 22, 23, 25, 80, 88, 104, 135, 139, 161, 389, 443, 445, 464, 502, 515, 554, 631, 636, 1433, 1521, 1883, 2049, 2575,
  3268, 3269, 3306, 3389, 5432, 5900, 5985, 5986, 8000, 8080, 8443, 8554, 8883, 9100, 11112, 27017,
] as const;

/**
 * Ports through which ePHI systems are reached (databases, DICOM/HL7, directory, file sharing, remote
 * administration, web). A `--from` segmentation test probes exactly these on every address in scope;
 * the default of network-segmentation-vantage's `ephi_service_ports` param (a unit test keeps them equal).
 */
export const EPHI_SERVICE_PORTS = [
  22, 80, 88, 104, 135, 139, 389, 443, 445, 636, 1433, 1521, 2049, 2575, 3268, 3306, 3389, 5432, 5900, 5985, 5986,
  8080, 8443, 11112, 27017,
] as const;

/**
 * The reachability probe of a segmentation test: the ePHI service ports on every address, with host
 * discovery off (-Pn), because firewalls between VLANs drop discovery probes and would hide a hole.
 */
export function buildReachabilityArgs(input: { privileged: boolean; ports: readonly number[]; statsEverySeconds: number }): string[] {
  return [
    // Dropped probes are the expected answer here, and nmap reads drops as congestion and slows to a
    // crawl (a /24 took over 5 minutes in the lab): a floor on the rate and every host in one group.
    input.privileged ? "-sS" : "-sT", "-Pn", "-p", `T:${input.ports.join(",")}`, "-n", "-T4", "--max-retries", "1",
    "--min-rate", "1000", "--min-hostgroup", "256", "--max-rtt-timeout", "500ms",
    "--host-timeout", "10m", "--stats-every", `${input.statsEverySeconds}s`, "-oX", "-",
  ];
}

/** NSE scripts for transmission security and service identity (standard and thorough). */
export const SCRIPTS = [
  "ssl-enum-ciphers",
  "ssl-cert",
  "ssh2-enum-algos",
  "smb-protocols",
  "smb2-security-mode",
  "rdp-enum-encryption",
  "http-title",
  "http-auth",
  "ldap-rootdse",
  "snmp-info",
] as const;

/** UDP ports scanned when nmap runs as root (UDP scans need raw sockets): SNMP, UPnP/SSDP, mDNS. */
export const UDP_PORTS = [161, 1900, 5353] as const;

export interface ProfileInput {
  profile: NetworkProfile;
  /** Running as root: SYN scan, UDP and OS detection are possible. */
  privileged: boolean;
  /** Reverse DNS for hosts that are up (off by default: queries go to the site's resolver). */
  resolveNames: boolean;
  /** Skip host discovery (treat every address as up): used for small segmentation-test targets. */
  skipDiscovery: boolean;
  /** Seconds between progress records. */
  statsEverySeconds: number;
}

export interface ProfilePlan {
  args: string[];
  /** What the report must say about how the scan ran (unprivileged fallbacks). */
  notes: string[];
  scanType: "syn" | "connect";
  osDetection: boolean;
}

function tcpPorts(profile: NetworkProfile): string {
  const extra = CLASS_PORTS.filter((p) => p > 1024).join(",");
  if (profile === "quick") return CLASS_PORTS.join(",");
  if (profile === "standard") return `1-1024,${extra}`;
  return "1-65535";
}

/**
 * The nmap argument array for a profile, without targets. Targets are appended by the runner after
 * `--`, so nothing from a target can be read as an option.
 */
export function buildNmapArgs(input: ProfileInput): ProfilePlan {
  const notes: string[] = [];
  const { profile, privileged } = input;
  const args: string[] = [privileged ? "-sS" : "-sT"];
  const udp = privileged && profile !== "quick";
  if (udp) args.push("-sU");
  const tcp = tcpPorts(profile);
  args.push("-p", udp ? `T:${tcp},U:${UDP_PORTS.join(",")}` : `T:${tcp}`);
  if (profile !== "quick") {
    args.push("-sV", profile === "thorough" ? "--version-all" : "--version-light");
    args.push("--script", SCRIPTS.join(","));
  }
  const osDetection = privileged && profile !== "quick";
  if (osDetection) args.push("-O", "--osscan-limit");
  // Hop counts show which host is the subnet's gateway (one routed hop away, no MAC seen).
  if (privileged && profile !== "quick") args.push("--traceroute");
  if (!input.resolveNames) args.push("-n");
  if (input.skipDiscovery) args.push("-Pn");
  args.push("-T4", "--max-retries", profile === "thorough" ? "3" : "2", "--host-timeout", profile === "thorough" ? "30m" : "10m");
  args.push("--stats-every", `${input.statsEverySeconds}s`, "-oX", "-");
  if (!privileged) {
    notes.push(
      "nmap ran without root: TCP connect scan (-sT) instead of SYN scan, no UDP scan (SNMP not checked) and no OS detection",
    );
  }
  if (!input.resolveNames) notes.push("reverse DNS was off (-n): host names come from the inventory only");
  if (input.skipDiscovery) notes.push("host discovery was skipped (-Pn): every address was port-scanned");
  return { args, notes, scanType: privileged ? "syn" : "connect", osDetection };
}
