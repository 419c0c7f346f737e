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
    [ordered]@{ members = @(Get-CimAssociatedInstance -InputObject $g -Association Win32_GroupUser | ForEach-Object { [string]$_.Domain + '\' + [string]$_.Name }) }
  }
}

