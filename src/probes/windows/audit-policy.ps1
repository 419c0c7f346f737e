Add-Section 'auditPolicy' {
  $text = (& auditpol.exe /get /category:* /r) | Out-String
  if ($LASTEXITCODE -ne 0) { throw ('auditpol exited with ' + $LASTEXITCODE + ': ' + $text.Trim()) }
  [ordered]@{ csv = $text }
}

