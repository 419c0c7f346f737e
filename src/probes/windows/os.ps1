Add-Section 'os' {
  $o = Get-CimInstance -ClassName Win32_OperatingSystem
  $cv = 'HKLM:\SOFTWARE\Microsoft\Windows NT\CurrentVersion'
  [ordered]@{
    caption = [string]$o.Caption; version = [string]$o.Version; build = [string]$o.BuildNumber
    ubr = (Get-RegValue $cv 'UBR'); displayVersion = (Get-RegValue $cv 'DisplayVersion'); editionId = (Get-RegValue $cv 'EditionID')
    productType = [int]$o.ProductType; arch = [string]$o.OSArchitecture; hostname = [string]$env:COMPUTERNAME
  }
}

