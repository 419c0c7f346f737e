# hipaa-scan POSIX probe: macOS sections (filled in by the SSH/macOS engineer).
probe_macos() { :; }
