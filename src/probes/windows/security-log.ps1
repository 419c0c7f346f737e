Add-Section 'securityLog' {
  try {
    $l = Get-WinEvent -ListLog Security
    [ordered]@{ maxSizeBytes = [int64]$l.MaximumSizeInBytes; logMode = [string]$l.LogMode; enabled = [bool]$l.IsEnabled }
  } catch {
    $k = 'HKLM:\SYSTEM\CurrentControlSet\Services\EventLog\Security'
    [ordered]@{ maxSizeBytes = (Get-RegValue $k 'MaxSize'); logMode = $null; enabled = $null }
  }
}

