Add-Section 'smb' {
  $s = Get-SmbServerConfiguration
  $c = $null
  try { $c = Get-SmbClientConfiguration } catch { $c = $null }
  [ordered]@{
    server = [ordered]@{ EnableSMB1Protocol = [bool]$s.EnableSMB1Protocol; RequireSecuritySignature = [bool]$s.RequireSecuritySignature; EncryptData = [bool]$s.EncryptData }
    client = $(if ($null -ne $c) { [ordered]@{ RequireSecuritySignature = [bool]$c.RequireSecuritySignature } } else { $null })
  }
}

