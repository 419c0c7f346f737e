Add-Section 'secureBoot' {
  try { [ordered]@{ enabled = [bool](Confirm-SecureBootUEFI) } }
  catch [System.PlatformNotSupportedException] { [ordered]@{ enabled = $null } }
}

