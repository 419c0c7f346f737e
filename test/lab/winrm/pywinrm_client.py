"""Drives pywinrm (Debian python3-winrm 0.3.0) against the hipaa-scan WinRM test server.

Usage: pywinrm_client.py URL TRANSPORT [CA_FILE]; user and password come from HSW_USER and
HSW_PASSWORD in the environment (never argv). Prints one JSON object with each command's result.
"""
import base64
import json
import os
import sys

import winrm
from winrm.exceptions import InvalidCredentialsError, WinRMError, WinRMTransportError


def result(r):
    return {
        "status": r.status_code,
        "out": r.std_out.decode("utf-8", "replace"),
        "err": r.std_err.decode("utf-8", "replace") if isinstance(r.std_err, bytes) else r.std_err,
    }


def main():
    url, transport = sys.argv[1], sys.argv[2]
    ca = sys.argv[3] if len(sys.argv) > 3 else None
    kwargs = {"transport": transport}
    if url.startswith("https"):
        kwargs["server_cert_validation"] = "validate"
        kwargs["ca_trust_path"] = ca
    session = winrm.Session(url, auth=(os.environ["HSW_USER"], os.environ["HSW_PASSWORD"]), **kwargs)
    out = {"winrm_module": winrm.__file__}
    try:
        out["cmd"] = result(session.run_cmd("auditpol /get /category:* /r"))
        out["cmd_err"] = result(session.run_cmd("nosuchcommand"))
        out["ps"] = result(session.run_ps("Get-SmbServerConfiguration"))
        # run_ps is run_cmd('powershell -encodedcommand …') plus a CLIXML clean-up that 0.3.0 gets wrong on
        # Python 3 (str methods on bytes, fixed in pywinrm 0.4), so the raw error stream is returned here.
        script = "$ProgressPreference='SilentlyContinue';Bogus"
        encoded = base64.b64encode(script.encode("utf_16_le")).decode("ascii")
        out["ps_err"] = result(session.run_cmd("powershell -encodedcommand {0}".format(encoded)))
        out["encrypted"] = session.protocol.transport.encryption is not None
    except InvalidCredentialsError as e:
        out["error"] = {"type": "InvalidCredentialsError", "message": str(e)}
    except (WinRMError, WinRMTransportError) as e:
        out["error"] = {"type": type(e).__name__, "message": str(e)}
    print(json.dumps(out))


main()
