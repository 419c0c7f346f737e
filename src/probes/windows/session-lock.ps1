Add-Section 'sessionLock' {
  $sys = 'HKLM:\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System'
  $ss = 'HKCU:\Software\Policies\Microsoft\Windows\Control Panel\Desktop'
  [ordered]@{
    inactivityTimeoutSecs = (Get-RegValue $sys 'InactivityTimeoutSecs')
    screenSaveActive = (Get-RegValue $ss 'ScreenSaveActive'); screenSaveTimeOut = (Get-RegValue $ss 'ScreenSaveTimeOut')
    screenSaverIsSecure = (Get-RegValue $ss 'ScreenSaverIsSecure')
  }
}

