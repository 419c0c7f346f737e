[Console]::Out.Write(($out | ConvertTo-Json -Depth 8 -Compress))
