#!/usr/bin/python3
"""Seeds the Samba AD lab directory offline (before samba starts).

usage: seed-samba.py DIR/dc/private/sam.ldb PASSWORD_FILE
PASSWORD_FILE line 1: Administrator password, line 2: auditor password.
Every other account gets a random password nobody knows. Dates are relative to now, so the
findings a scan produces do not depend on when the lab runs. Each account is commented with the
condition it seeds; clean accounts must produce no finding at all.
"""
import os, secrets, sys, time, ldb
from samba.samdb import SamDB
from samba.auth import system_session
from samba.param import LoadParm

SAM, PWFILE = sys.argv[1], sys.argv[2]
BASE = os.path.dirname(os.path.dirname(SAM))
lp = LoadParm(); lp.load(os.path.join(BASE, "etc", "smb.conf"))
db = SamDB(url=SAM, session_info=system_session(), lp=lp)
DOMAIN = db.domain_dn()
ADMIN_PW, AUDITOR_PW = open(PWFILE).read().splitlines()[:2]
# provision ran without --adminpass (a password on a command line is visible in ps): set it here
db.setpassword("(sAMAccountName=Administrator)", ADMIN_PW)

NOW = time.time()
EPOCH_DIFF = 116444736000000000
def ft(days_ago):  # FILETIME for now - days
    return str(int((NOW - days_ago * 86400) * 10_000_000) + EPOCH_DIFF)
def gt(days_ago):  # GeneralizedTime for now - days
    return time.strftime("%Y%m%d%H%M%S.0Z", time.gmtime(NOW - days_ago * 86400))

UAC_NORMAL, DISABLE, PWNOTREQ, REVERSIBLE, DONT_EXPIRE, NO_PREAUTH = 0x200, 0x2, 0x20, 0x80, 0x10000, 0x400000

def rand_pw():
    return "Lab-" + secrets.token_urlsafe(18) + "9a!"

def dn_of(name):
    return db.search(base=DOMAIN, expression="(sAMAccountName=%s)" % name, attrs=["dn"])[0].dn

def modify(dn, attrs, controls=("relax:0",)):
    m = ldb.Message(); m.dn = dn
    for k, v in attrs.items():
        m[k] = ldb.MessageElement(v, ldb.FLAG_MOD_REPLACE, k)
    db.modify(m, controls=list(controls))

# name, given, surname, mail?, employeeID, flags, last logon days ago (None = never), extra
people = [
    # --- clean people: recent logon, mail, employeeID, on the roster ---
    ("alice.nguyen", "E1001", {}), ("bob.smith", "E1002", {}), ("carol.jones", "E1003", {}),
    ("dave.brown", "E1004", {}), ("erin.white", "E1005", {}), ("frank.green", "E1006", {}),
    ("grace.hall", "E1007", {}), ("henry.king", "E1008", {}), ("irene.lee", "E1009", {}),
    ("jack.moore", "E1010", {}), ("kate.adams", "E1011", {}), ("liam.baker", "E1012", {}),
    ("maya.clark", "E1013", {}), ("noah.diaz", "E1014", {}), ("olivia.evans", "E1015", {}),
    ("paul.fisher", "E1016", {}), ("rachel.hunt", "E1017", {}), ("sam.irwin", "E1018", {}),
    ("tina.jacobs", "E1019", {}), ("uri.kent", "E1020", {}),
    ("auditor", "E1099", {"password": AUDITOR_PW}),           # the scan's bind account
    ("new.hire", "E1021", {"logon": None}),                   # created today, not used yet: clean
    # --- separate admin identities (clean): admin-pattern names, employeeID ties them to a person ---
    ("adm-alice", "E1001", {"mail": None, "groups": ["Domain Admins"]}),
    ("adm-bob", "E1002", {"mail": None, "groups": ["Domain Admins"]}),
    ("adm-carol", "E1003", {"mail": None, "groups": ["Domain Admins"]}),
    # --- conditions ---
    ("stale.tom", "E2001", {"logon": 200}),                   # stale enabled
    ("stale.uma", "E2002", {"logon": 150}),                   # stale enabled
    ("neverused.vera", "E2003", {"logon": None, "created": 120}),  # never used, created 120 days ago
    ("expired.victor", "E2004", {"expires": 10}),             # expired 10 days ago but enabled
    ("pne.wendy", "E2005", {"uac": DONT_EXPIRE}),             # password never expires (human)
    ("pnr.xavier", "E2006", {"uac": PWNOTREQ}),               # password not required
    ("rev.yara", "E2007", {"uac": REVERSIBLE}),               # reversible encryption
    ("nopre.zack", "E2008", {"uac": NO_PREAUTH}),             # no Kerberos pre-authentication
    ("frontdesk", None, {"mail": None, "given": None}),       # generic name
    ("reception", None, {"mail": None, "given": None}),       # generic name
    ("clinic.ops", None, {"mail": "billing@hsl.lab", "description": "Shared login for the billing team"}),  # shared by description
    ("jsmith2", None, {"mail": None}),                         # no mail, employeeID or manager
    ("dis.admin", "E2009", {"disabled": True, "groups": ["Domain Admins"]}),   # disabled privileged member
    ("stale.admin", "E2010", {"logon": 300, "groups": ["IT Admins"]}),        # stale, privileged via nesting
    ("doc.smith", "E2011", {"groups": ["Domain Admins"]}),   # daily account with admin rights
    ("quinn.left", "E9999", {}),                              # not on the roster (left the practice)
    ("ex.employee", "E9998", {"disabled": True, "logon": 400}),  # disabled, off roster: clean (nothing to do)
    # service account: SPN, password never expires by design, recent use: clean
    ("svc-backup", None, {"mail": None, "spn": "backup/dc1.hsl.lab", "uac": DONT_EXPIRE,
                          "description": "Backup agent service account", "given": None}),
]

# IT Admins is nested in Domain Admins: members are privileged through nesting.
db.newgroup("IT Admins", description="Helpdesk administrators")
db.add_remove_group_members("Domain Admins", ["IT Admins"], add_members_operation=True)

manager_dn = None
for name, emp, o in people:
    given = o.get("given", name.split(".")[0].capitalize())
    surname = name.split(".")[1].capitalize() if "." in name and given else None
    mail = o["mail"] if "mail" in o else "%s@hsl.lab" % name
    db.newuser(name, o.get("password", rand_pw()), givenname=given, surname=surname,
               mailaddress=mail, description=o.get("description"))
    dn = dn_of(name)
    attrs = {}
    if emp: attrs["employeeID"] = emp
    if manager_dn and emp and name != "auditor": attrs["manager"] = str(manager_dn)
    logon = o.get("logon", 5)
    if logon is not None: attrs["lastLogonTimestamp"] = ft(logon)
    if "created" in o: attrs["whenCreated"] = gt(o["created"])
    if "expires" in o: attrs["accountExpires"] = ft(o["expires"])
    uac = UAC_NORMAL | o.get("uac", 0) | (DISABLE if o.get("disabled") else 0)
    if uac != UAC_NORMAL: attrs["userAccountControl"] = str(uac)
    if "spn" in o: attrs["servicePrincipalName"] = o["spn"]
    if attrs: modify(dn, attrs)
    for g in o.get("groups", []):
        db.add_remove_group_members(g, [name], add_members_operation=True)
    if name == "alice.nguyen": manager_dn = dn

# computers: two in use, one stale; the DC itself exists already
for cname, logon in [("WS01", 3), ("WS02", 7), ("WS-OLD", 200)]:
    db.newcomputer(cname)
    modify(dn_of(cname + "$"), {"lastLogonTimestamp": ft(logon), "operatingSystem": "Windows 11 Pro",
                                "userAccountControl": str(0x1000)})  # enabled workstation account
# a BitLocker recovery object under WS01 (admins only can read these)
ws01 = dn_of("WS01$")
db.add({"dn": "CN=2026-01-01T00:00:00-00:00{6A1B2C3D-0000-4000-8000-000000000001},%s" % ws01,
        "objectClass": "msFVE-RecoveryInformation",
        "msFVE-RecoveryGuid": b"\x01" * 16,
        "msFVE-RecoveryPassword": "111111-222222-333333-444444-555555-666666-777777-888888"})

# domain policy: minimum length 8, no lockout, max age 42 days (default), complexity on (default)
modify(ldb.Dn(db, DOMAIN), {"minPwdLength": "8", "lockoutThreshold": "0"}, ())
# a fine-grained policy (readable by admins only)
db.add({"dn": "CN=Clinicians PSO,CN=Password Settings Container,CN=System,%s" % DOMAIN,
        "objectClass": "msDS-PasswordSettings",
        "msDS-PasswordSettingsPrecedence": "10", "msDS-PasswordReversibleEncryptionEnabled": "FALSE",
        "msDS-PasswordHistoryLength": "10", "msDS-PasswordComplexityEnabled": "TRUE",
        "msDS-MinimumPasswordLength": "6", "msDS-MinimumPasswordAge": "0",
        "msDS-MaximumPasswordAge": "-36288000000000", "msDS-LockoutThreshold": "0",
        "msDS-LockoutObservationWindow": "-18000000000", "msDS-LockoutDuration": "-18000000000",
        "msDS-PSOAppliesTo": str(dn_of("alice.nguyen"))})
db = None

# krbtgt: password last set 500 days ago. pwdLastSet only accepts 0/-1 through Samba's modules, so
# it is written to the domain partition file directly (offline: samba is not running yet).
part = ldb.Ldb(os.path.join(BASE, "private", "sam.ldb.d", "DC=%s.ldb" % ",DC=".join(lp.get("realm").split("."))),
               flags=ldb.FLG_DONT_CREATE_DB)
k = part.search(expression="(sAMAccountName=krbtgt)", attrs=["dn"])[0].dn
m = ldb.Message(); m.dn = k
m["pwdLastSet"] = ldb.MessageElement(ft(500), ldb.FLAG_MOD_REPLACE, "pwdLastSet")
part.modify(m)
print("seeded %d accounts" % len(people))
