Add-Section 'defender' {
  $m = Get-MpComputerStatus
  [ordered]@{
    AMServiceEnabled = [bool]$m.AMServiceEnabled; AntivirusEnabled = [bool]$m.AntivirusEnabled
    RealTimeProtectionEnabled = [bool]$m.RealTimeProtectionEnabled; AntivirusSignatureLastUpdated = (To-Iso $m.AntivirusSignatureLastUpdated)
    AntivirusSignatureAge = $m.AntivirusSignatureAge; IsTamperProtected = $m.IsTamperProtected
  }
}

