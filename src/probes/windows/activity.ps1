Add-Section 'activity' {
  # Login evidence from the Security log, bounded: the window, -MaxEvents, and only the fields a
  # finding names (who, from where, when, which group). No message text leaves the host.
  # The window: $HsActivityDays when the collector set it (--activity-window), else 30.
  $days = 30
  $set = Get-Variable -Name HsActivityDays -ValueOnly -ErrorAction SilentlyContinue
  if ($set) { $days = [int]$set }
  $ids = @(4624, 4625, 4740, 4720, 4728, 4732, 4756, 1102)
  $found = @()
  try {
    $found = @(Get-WinEvent -FilterHashtable @{ LogName = 'Security'; Id = $ids; StartTime = (Get-Date).AddDays(-$days) } -MaxEvents 2000 -ErrorAction Stop)
  } catch {
    if ([string]$_.FullyQualifiedErrorId -notlike 'NoMatchingEventsFound*') { throw }
  }
  $keep = @('TargetUserName', 'TargetUserSid', 'TargetDomainName', 'LogonType', 'IpAddress', 'WorkstationName', 'SubjectUserName', 'MemberName', 'MemberSid')
  $events = @($found | ForEach-Object {
    $x = [xml]$_.ToXml()
    $d = [ordered]@{ id = [int]$_.Id; time = (To-Iso $_.TimeCreated) }
    foreach ($n in @($x.Event.EventData.Data)) {
      if ($null -ne $n -and $keep -contains [string]$n.Name) { $d[[string]$n.Name] = [string]$n.InnerText }
    }
    if ($_.Id -eq 1102) { $d['SubjectUserName'] = [string]$x.Event.UserData.LogFileCleared.SubjectUserName }
    $d
  })
  $oldest = $null
  try { $oldest = To-Iso (Get-WinEvent -LogName Security -MaxEvents 1 -Oldest -ErrorAction Stop).TimeCreated } catch { $oldest = $null }
  [ordered]@{ windowDays = $days; maxEvents = 2000; oldest = $oldest; events = $events }
}

