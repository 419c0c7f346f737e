Add-Section 'lsa' {
  $l = 'HKLM:\SYSTEM\CurrentControlSet\Control\Lsa'
  [ordered]@{ noLmHash = (Get-RegValue $l 'NoLMHash'); lmCompatibilityLevel = (Get-RegValue $l 'LmCompatibilityLevel') }
}

