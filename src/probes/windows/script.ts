/**
 * The Windows probe: ONE PowerShell 5.1-compatible script, inbox cmdlets only, run once per host.
 * It writes one JSON document `{probe, version, sections: {name: {ok, data} | {ok: false, error}}}`;
 * each section runs in its own try/catch so one failure leaves the rest. It reads settings only and
 * writes nothing on the target.
 *
 * The script travels on stdin (base64 of its UTF-8 text) behind the tiny -EncodedCommand bootstrap
 * below, so no command-line length limit applies and no console code page can mangle it.
 * The script avoids backticks and dollar-brace so it can live in this template literal unchanged.
 */
export const WINDOWS_PROBE_MARKER = "hipaa-scan-windows-probe";
export const WINDOWS_PROBE_VERSION = 1;

export const WINDOWS_PROBE_SCRIPT = `# ${WINDOWS_PROBE_MARKER} v${WINDOWS_PROBE_VERSION}
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$out = [ordered]@{ probe = '${WINDOWS_PROBE_MARKER}'; version = ${WINDOWS_PROBE_VERSION}; sections = [ordered]@{} }

function Add-Section([string]$Name, [scriptblock]$Body) {
  try { $out.sections[$Name] = [ordered]@{ ok = $true; data = (& $Body) } }
  catch { $out.sections[$Name] = [ordered]@{ ok = $false; error = [string]$_.Exception.Message } }
}
function Get-RegValue([string]$Path, [string]$Name) {
  $item = Get-ItemProperty -LiteralPath $Path -Name $Name -ErrorAction SilentlyContinue
  if ($null -eq $item) { return $null }
  return $item.$Name
}
function To-Iso($d) {
  if ($null -eq $d) { return $null }
  return ([datetime]$d).ToUniversalTime().ToString('o')
}

Add-Section 'os' {
  $o = Get-CimInstance -ClassName Win32_OperatingSystem
  $cv = 'HKLM:\\SOFTWARE\\Microsoft\\Windows NT\\CurrentVersion'
  [ordered]@{
    caption = [string]$o.Caption; version = [string]$o.Version; build = [string]$o.BuildNumber
    ubr = (Get-RegValue $cv 'UBR'); displayVersion = (Get-RegValue $cv 'DisplayVersion'); editionId = (Get-RegValue $cv 'EditionID')
    productType = [int]$o.ProductType; arch = [string]$o.OSArchitecture; hostname = [string]$env:COMPUTERNAME
  }
}

Add-Section 'bitlocker' {
  $fixed = @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object { [string]$_.DeviceID })
  $vols = @()
  $src = 'Get-BitLockerVolume'
  try {
    $vols = @(Get-BitLockerVolume | ForEach-Object {
      [ordered]@{ MountPoint = [string]$_.MountPoint; VolumeType = [string]$_.VolumeType; VolumeStatus = [string]$_.VolumeStatus
        ProtectionStatus = [string]$_.ProtectionStatus; EncryptionMethod = [string]$_.EncryptionMethod }
    })
  } catch {
    $src = 'Win32_EncryptableVolume'
    $vols = @(Get-CimInstance -Namespace 'root/CIMV2/Security/MicrosoftVolumeEncryption' -ClassName Win32_EncryptableVolume | ForEach-Object {
      $cs = Invoke-CimMethod -InputObject $_ -MethodName GetConversionStatus
      [ordered]@{ DriveLetter = [string]$_.DriveLetter; VolumeType = [int]$_.VolumeType; ConversionStatus = [int]$cs.ConversionStatus
        ProtectionStatus = [int]$_.ProtectionStatus; EncryptionMethod = [int]$_.EncryptionMethod }
    })
  }
  [ordered]@{ source = $src; volumes = $vols; fixedDrives = $fixed }
}

Add-Section 'sessionLock' {
  $sys = 'HKLM:\\SOFTWARE\\Microsoft\\Windows\\CurrentVersion\\Policies\\System'
  $ss = 'HKCU:\\Software\\Policies\\Microsoft\\Windows\\Control Panel\\Desktop'
  [ordered]@{
    inactivityTimeoutSecs = (Get-RegValue $sys 'InactivityTimeoutSecs')
    screenSaveActive = (Get-RegValue $ss 'ScreenSaveActive'); screenSaveTimeOut = (Get-RegValue $ss 'ScreenSaveTimeOut')
    screenSaverIsSecure = (Get-RegValue $ss 'ScreenSaverIsSecure')
  }
}

Add-Section 'rdp' {
  $ts = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Terminal Server'
  $tcp = $ts + '\\WinStations\\RDP-Tcp'
  $pol = 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Windows NT\\Terminal Services'
  [ordered]@{
    fDenyTSConnections = (Get-RegValue $ts 'fDenyTSConnections'); userAuthentication = (Get-RegValue $tcp 'UserAuthentication')
    securityLayer = (Get-RegValue $tcp 'SecurityLayer'); maxIdleTime = (Get-RegValue $tcp 'MaxIdleTime')
    policyDenyTSConnections = (Get-RegValue $pol 'fDenyTSConnections'); policyUserAuthentication = (Get-RegValue $pol 'UserAuthentication')
    policySecurityLayer = (Get-RegValue $pol 'SecurityLayer'); policyMaxIdleTime = (Get-RegValue $pol 'MaxIdleTime')
  }
}

Add-Section 'localUsers' {
  try {
    $u = @(Get-LocalUser | ForEach-Object {
      [ordered]@{ name = [string]$_.Name; enabled = [bool]$_.Enabled; sid = [string]$_.SID; description = [string]$_.Description; lastLogon = (To-Iso $_.LastLogon) }
    })
    [ordered]@{ source = 'Get-LocalUser'; users = $u }
  } catch {
    try {
      $u = @(Get-CimInstance -ClassName Win32_UserAccount -Filter 'LocalAccount=True' | ForEach-Object {
        [ordered]@{ name = [string]$_.Name; enabled = (-not [bool]$_.Disabled); sid = [string]$_.SID; description = [string]$_.Description; lastLogon = $null }
      })
      [ordered]@{ source = 'Win32_UserAccount'; users = $u }
    } catch {
      [ordered]@{ source = 'net user'; text = ((net.exe user) | Out-String) }
    }
  }
}

Add-Section 'administrators' {
  try {
    [ordered]@{ members = @(Get-LocalGroupMember -SID 'S-1-5-32-544' | ForEach-Object { [string]$_.Name }) }
  } catch {
    $g = Get-CimInstance -ClassName Win32_Group -Filter "SID='S-1-5-32-544'"
    [ordered]@{ members = @(Get-CimAssociatedInstance -InputObject $g -Association Win32_GroupUser | ForEach-Object { [string]$_.Domain + '\\' + [string]$_.Name }) }
  }
}

Add-Section 'auditPolicy' {
  $text = (& auditpol.exe /get /category:* /r) | Out-String
  if ($LASTEXITCODE -ne 0) { throw ('auditpol exited with ' + $LASTEXITCODE + ': ' + $text.Trim()) }
  [ordered]@{ csv = $text }
}

Add-Section 'securityLog' {
  try {
    $l = Get-WinEvent -ListLog Security
    [ordered]@{ maxSizeBytes = [int64]$l.MaximumSizeInBytes; logMode = [string]$l.LogMode; enabled = [bool]$l.IsEnabled }
  } catch {
    $k = 'HKLM:\\SYSTEM\\CurrentControlSet\\Services\\EventLog\\Security'
    [ordered]@{ maxSizeBytes = (Get-RegValue $k 'MaxSize'); logMode = $null; enabled = $null }
  }
}

Add-Section 'defender' {
  $m = Get-MpComputerStatus
  [ordered]@{
    AMServiceEnabled = [bool]$m.AMServiceEnabled; AntivirusEnabled = [bool]$m.AntivirusEnabled
    RealTimeProtectionEnabled = [bool]$m.RealTimeProtectionEnabled; AntivirusSignatureLastUpdated = (To-Iso $m.AntivirusSignatureLastUpdated)
    AntivirusSignatureAge = $m.AntivirusSignatureAge; IsTamperProtected = $m.IsTamperProtected
  }
}

Add-Section 'firewall' {
  [ordered]@{ profiles = @(Get-NetFirewallProfile -PolicyStore ActiveStore | ForEach-Object {
    [ordered]@{ name = [string]$_.Name; enabled = [string]$_.Enabled; defaultInboundAction = [string]$_.DefaultInboundAction }
  }) }
}

Add-Section 'smb' {
  $s = Get-SmbServerConfiguration
  $c = $null
  try { $c = Get-SmbClientConfiguration } catch { $c = $null }
  [ordered]@{
    server = [ordered]@{ EnableSMB1Protocol = [bool]$s.EnableSMB1Protocol; RequireSecuritySignature = [bool]$s.RequireSecuritySignature; EncryptData = [bool]$s.EncryptData }
    client = $(if ($null -ne $c) { [ordered]@{ RequireSecuritySignature = [bool]$c.RequireSecuritySignature } } else { $null })
  }
}

Add-Section 'schannel' {
  $base = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\SecurityProviders\\SCHANNEL\\Protocols'
  $keys = @()
  foreach ($p in @('SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3')) {
    foreach ($side in @('Server', 'Client')) {
      $k = $base + '\\' + $p + '\\' + $side
      $keys += [ordered]@{ protocol = $p; side = $side; enabled = (Get-RegValue $k 'Enabled'); disabledByDefault = (Get-RegValue $k 'DisabledByDefault') }
    }
  }
  [ordered]@{ keys = $keys }
}

Add-Section 'lsa' {
  $l = 'HKLM:\\SYSTEM\\CurrentControlSet\\Control\\Lsa'
  [ordered]@{ noLmHash = (Get-RegValue $l 'NoLMHash'); lmCompatibilityLevel = (Get-RegValue $l 'LmCompatibilityLevel') }
}

Add-Section 'secureBoot' {
  try { [ordered]@{ enabled = [bool](Confirm-SecureBootUEFI) } }
  catch [System.PlatformNotSupportedException] { [ordered]@{ enabled = $null } }
}

Add-Section 'hotfixes' {
  [ordered]@{ items = @(Get-HotFix | ForEach-Object {
    $on = $null
    try { $on = To-Iso $_.InstalledOn } catch { $on = $null }
    [ordered]@{ id = [string]$_.HotFixID; installedOn = $on }
  }) }
}

[Console]::Out.Write(($out | ConvertTo-Json -Depth 8 -Compress))
`;

/**
 * The -EncodedCommand bootstrap for WinRM: it reads the whole of stdin and runs it as a script.
 * Small enough for any command line.
 */
export const WINDOWS_BOOTSTRAP = "$ErrorActionPreference='Stop';$s=[Console]::In.ReadToEnd();& ([ScriptBlock]::Create($s))";

/** The fixed command WinRM runs: `powershell.exe` and its arguments (no target text). */
export function windowsProbeCommand(): { command: string; args: string[] } {
  const encoded = Buffer.from(WINDOWS_BOOTSTRAP, "utf16le").toString("base64");
  return { command: "powershell.exe", args: ["-NoProfile", "-NonInteractive", "-EncodedCommand", encoded] };
}

/**
 * What goes on stdin: ONE line of PowerShell that sets UTF-8 output, decodes the script (base64
 * of UTF-8) and runs it. One line works both behind the WinRM bootstrap and for
 * `powershell -NoProfile -NonInteractive -Command -` over OpenSSH, where stdin is read line by
 * line and a multi-line script would break at its first block.
 */
export function windowsProbeStdin(script = WINDOWS_PROBE_SCRIPT): string {
  const b64 = Buffer.from(script, "utf8").toString("base64");
  return (
    // Setting the console encoding can throw where there is no console handle: then the default stays.
    "try{[Console]::OutputEncoding=[Text.UTF8Encoding]::new($false)}catch{};" +
    `& ([ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}'))))\r\n`
  );
}

/** The script a probe stdin line carries (for the test server and tests). */
export function scriptFromProbeStdin(stdin: string): string | undefined {
  const m = /FromBase64String\('([A-Za-z0-9+/=]+)'\)/.exec(stdin);
  return m ? Buffer.from(m[1]!, "base64").toString("utf8") : undefined;
}
