Add-Section 'hotfixes' {
  [ordered]@{ items = @(Get-HotFix | ForEach-Object {
    $on = $null
    try { $on = To-Iso $_.InstalledOn } catch { $on = $null }
    [ordered]@{ id = [string]$_.HotFixID; installedOn = $on }
  }) }
}

