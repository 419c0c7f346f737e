#!/usr/bin/python3
"""Bulk-loads N generated users into the Samba lab's sam.ldb offline (before samba starts), for
bench/ldap-samba-scan.js. usage: seed-samba-bench.py SAM_LDB PASSWORD_FILE  (N from HSL_BENCH_USERS)

Users are added with one `ldbadd --controls=relax:0` run (through Samba's own modules, so SIDs
and defaults are real); every 10th has a stale lastLogonTimestamp, every 2000th is a member of
Domain Admins. They have no password, so they carry PASSWD_NOTREQD (0x20), which enabled
password-less accounts need. The auditor is created with a real password.
"""
import os, subprocess, sys, tempfile, time
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm

SAM, PWFILE = sys.argv[1], sys.argv[2]
N = int(os.environ.get("HSL_BENCH_USERS", "2000"))
BASE = os.path.dirname(os.path.dirname(SAM))
lp = LoadParm(); lp.load(os.path.join(BASE, "etc", "smb.conf"))
db = SamDB(url=SAM, session_info=system_session(), lp=lp)
domain = str(db.domain_dn())
db.newuser("auditor", open(PWFILE).read().splitlines()[1], mailaddress="auditor@hsl.lab")
db = None

now = time.time()
def ft(days):
    return str(int((now - days * 86400) * 10_000_000) + 116444736000000000)
with tempfile.NamedTemporaryFile("w", suffix=".ldif", delete=False) as f:
    # 500 users per OU: Samba checks names among an entry's siblings on every add, so one flat
    # container of 20,000 makes the bulk load quadratic.
    for o in range((N + 499) // 500):
        f.write("dn: OU=bench%03d,%s\nobjectClass: organizationalUnit\n\n" % (o, domain))
    for i in range(N):
        u = "user%06d" % i
        f.write("dn: CN=%s,OU=bench%03d,%s\nobjectClass: user\nsAMAccountName: %s\nuserAccountControl: 544\n"
                "mail: %s@hsl.lab\nemployeeID: B%d\nlastLogonTimestamp: %s\ndescription: bench user %d\n\n"
                % (u, i // 500, domain, u, u, i, ft(200 if i % 10 == 0 else i % 60 + 1), i))
    ldif = f.name
with tempfile.NamedTemporaryFile("w", suffix=".ldif", delete=False) as f:
    f.write("dn: CN=Domain Admins,CN=Users,%s\nchangetype: modify\nadd: member\n" % domain)
    for i in range(0, N, 2000):
        f.write("member: CN=user%06d,OU=bench%03d,%s\n" % (i, i // 500, domain))
    mods = f.name
t = time.time()
subprocess.run(["ldbadd", "-H", SAM, "--nosync", "--controls=relax:0", ldif], check=True, stdout=subprocess.DEVNULL)
subprocess.run(["ldbmodify", "-H", SAM, "--nosync", mods], check=True, stdout=subprocess.DEVNULL)
os.unlink(ldif); os.unlink(mods)
print("bulk-loaded %d users in %.1f s" % (N, time.time() - t))
