"""A real IMAP server on loopback for tests that read a mailbox: a private Dovecot
instance (Debian's dovecot-imapd) in a temporary directory, with one user whose mail is
a Maildir there, listening on a free port."""

import imaplib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

from .processes import free_port, stop_process_group

DOVECOT = os.environ.get("CARAVAN_DOVECOT", shutil.which("dovecot") or "/usr/sbin/dovecot")


def dovecot_problem():
    """Why Dovecot cannot be run here, or None."""
    if not os.access(DOVECOT, os.X_OK):
        return (
            "Dovecot is not installed (apt-get install dovecot-imapd): the IMAP tests are skipped"
        )
    return None


class ImapServer:
    """Dovecot on 127.0.0.1:`port` with the user `user`/`password` (plain IMAP, no TLS)."""

    def __init__(self, user="sales", password="mailbox-secret"):  # noqa: S107 - a test's own
        # Its own directory under /tmp: when the tests run as root the mail belongs to
        # "nobody", who cannot enter pytest's private temporary directories.
        self.dir = Path(tempfile.mkdtemp(prefix="caravan-imap-"))
        self.user = user
        self.password = password
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"imap://{self.user}:{self.password}@127.0.0.1:{self.port}/INBOX"

    def _config(self):
        mail = self.dir / "mail"
        mail.mkdir(parents=True, exist_ok=True)
        (self.dir / "passwd").write_text(f"{self.user}:{{PLAIN}}{self.password}::::::\n")
        if os.geteuid() == 0:
            # Dovecot never reads mail as root: the mail belongs to nobody.
            nobody = pwd.getpwnam("nobody")
            os.chmod(self.dir, 0o755)  # noqa: S103 - nobody must enter it
            os.chown(mail, nobody.pw_uid, nobody.pw_gid)
            users = f"mail_uid = {nobody.pw_uid}\nmail_gid = {nobody.pw_gid}\n"
        else:
            me = pwd.getpwuid(os.geteuid()).pw_name
            users = f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        return (
            "protocols = imap\n"
            "listen = 127.0.0.1\n"
            f"base_dir = {self.dir / 'run'}\n"
            f"state_dir = {self.dir / 'state'}\n"
            f"log_path = {self.dir / 'dovecot.log'}\n"
            "ssl = no\n"
            "disable_plaintext_auth = no\n"
            "auth_mechanisms = plain\n"
            "first_valid_uid = 0\n"
            f"mail_location = maildir:{mail}/%u\n"
            f"{users}"
            f"passdb {{\n  driver = passwd-file\n  args = {self.dir / 'passwd'}\n}}\n"
            f"userdb {{\n  driver = static\n  args = home={mail}/%u\n}}\n"
            "service imap-login {\n"
            f"  inet_listener imap {{\n    address = 127.0.0.1\n    port = {self.port}\n  }}\n"
            "  inet_listener imaps {\n    port = 0\n  }\n"
            "}\n"
        )

    def start(self, timeout=30):
        config = self.dir / "dovecot.conf"
        config.write_text(self._config())
        self._log = (self.dir / "dovecot.out").open("w")
        self.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"dovecot exited:\n{self.output()}")
            try:
                self.client().logout()
                return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError(f"dovecot did not answer within {timeout}s:\n{self.output()}")

    def output(self):
        parts = [
            p.read_text(errors="replace") for p in self.dir.glob("dovecot.*") if p.suffix != ".conf"
        ]
        return "\n".join(parts)[-3000:]

    def client(self):
        imap = imaplib.IMAP4("127.0.0.1", self.port, timeout=10)
        imap.login(self.user, self.password)
        return imap

    def deliver(self, raw, flags=None):
        """Put a message (bytes) into INBOX, as the mail server would (IMAP APPEND)."""
        imap = self.client()
        try:
            kind, data = imap.append("INBOX", flags, None, raw)
            assert kind == "OK", data
        finally:
            imap.logout()

    def inbox(self):
        """(UID, flags, bytes) of every message in INBOX, read without changing anything."""
        imap = self.client()
        try:
            imap.select("INBOX", readonly=True)
            kind, data = imap.uid("FETCH", "1:*", "(UID FLAGS BODY.PEEK[])")
            found = []
            for item in data:
                if isinstance(item, tuple):
                    head = item[0].decode()
                    uid = int(head.split("UID ")[1].split()[0])
                    flags = head.split("FLAGS (")[1].split(")")[0]
                    found.append((uid, flags, item[1]))
            return found
        finally:
            imap.logout()

    def stop(self):
        if self.process is not None:
            stop_process_group(self.process)
        if getattr(self, "_log", None):
            self._log.close()
        shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
