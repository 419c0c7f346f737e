# hipaa-scan-windows-probe v1
$ErrorActionPreference = 'Stop'
$ProgressPreference = 'SilentlyContinue'
$out = [ordered]@{ probe = 'hipaa-scan-windows-probe'; version = 1; sections = [ordered]@{} }

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

