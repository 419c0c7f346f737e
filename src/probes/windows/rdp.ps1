Add-Section 'rdp' {
  $ts = 'HKLM:\SYSTEM\CurrentControlSet\Control\Terminal Server'
  $tcp = $ts + '\WinStations\RDP-Tcp'
  $pol = 'HKLM:\SOFTWARE\Policies\Microsoft\Windows NT\Terminal Services'
  [ordered]@{
    fDenyTSConnections = (Get-RegValue $ts 'fDenyTSConnections'); userAuthentication = (Get-RegValue $tcp 'UserAuthentication')
    securityLayer = (Get-RegValue $tcp 'SecurityLayer'); maxIdleTime = (Get-RegValue $tcp 'MaxIdleTime')
    policyDenyTSConnections = (Get-RegValue $pol 'fDenyTSConnections'); policyUserAuthentication = (Get-RegValue $pol 'UserAuthentication')
    policySecurityLayer = (Get-RegValue $pol 'SecurityLayer'); policyMaxIdleTime = (Get-RegValue $pol 'MaxIdleTime')
  }
}

