Add-Section 'schannel' {
  $base = 'HKLM:\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols'
  $keys = @()
  foreach ($p in @('SSL 2.0', 'SSL 3.0', 'TLS 1.0', 'TLS 1.1', 'TLS 1.2', 'TLS 1.3')) {
    foreach ($side in @('Server', 'Client')) {
      $k = $base + '\' + $p + '\' + $side
      $keys += [ordered]@{ protocol = $p; side = $side; enabled = (Get-RegValue $k 'Enabled'); disabledByDefault = (Get-RegValue $k 'DisabledByDefault') }
    }
  }
  [ordered]@{ keys = $keys }
}

