Add-Section 'bitlocker' {
  $fixed = @(Get-CimInstance -ClassName Win32_LogicalDisk -Filter 'DriveType=3' | ForEach-Object { [string]$_.DeviceID })
  $vols = @()
  $src = 'Get-BitLockerVolume'
  try {
    $vols = @(Get-BitLockerVolume | ForEach-Object {
      [ordered]@{ MountPoint = [string]$_.MountPoint; VolumeType = [string]$_.VolumeType; VolumeStatus = [string]$_.VolumeStatus
        ProtectionStatus = [string]$_.ProtectionStatus; EncryptionMethod = [string]$_.EncryptionMethod }
    })
  } catch {
    $src = 'Win32_EncryptableVolume'
    $vols = @(Get-CimInstance -Namespace 'root/CIMV2/Security/MicrosoftVolumeEncryption' -ClassName Win32_EncryptableVolume | ForEach-Object {
      $cs = Invoke-CimMethod -InputObject $_ -MethodName GetConversionStatus
      [ordered]@{ DriveLetter = [string]$_.DriveLetter; VolumeType = [int]$_.VolumeType; ConversionStatus = [int]$cs.ConversionStatus
        ProtectionStatus = [int]$_.ProtectionStatus; EncryptionMethod = [int]$_.EncryptionMethod }
    })
  }
  [ordered]@{ source = $src; volumes = $vols; fixedDrives = $fixed }
}

