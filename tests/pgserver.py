"""Throwaway PostgreSQL server for the test suite.

CircuIT Depot relies on PostgreSQL behaviour (row locks, sequences, constraints,
``WITH (FORCE)`` drops...) that SQLite cannot imitate, so the tests must run
against a real PostgreSQL server.  Rather than depending on a server someone set
up beforehand, the test command starts its own: ``initdb`` in a fresh temporary
folder, ``pg_ctl start`` on a free port of 127.0.0.1 (plus a private unix socket
folder), and ``stop()`` kills it and deletes the folder afterwards.

PostgreSQL refuses to run as root, so when we are root the server is run as the
``postgres`` user (or ``nobody``) through ``runuser`` (or ``su``).

Only the standard library and psycopg are used.  ``python tests/pgserver.py``
runs a self-check.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pathlib
import pwd
import re
import shlex
import shutil
import signal
import socket
import stat
import subprocess
import tempfile
import time

import psycopg
from psycopg import sql

USER = "depot"  # database superuser created by initdb


class PgUnavailable(Exception):
    """A throwaway PostgreSQL server could not be started; the message says why."""


def find_pg_bindir() -> str | None:
    """Folder holding initdb/pg_ctl: $DEPOT_PG_BINDIR, pg_ctl on PATH, newest Debian install."""
    def ok(d: str | None) -> bool:
        return bool(d) and all(os.access(os.path.join(d, p), os.X_OK) for p in ("initdb", "pg_ctl"))

    env = os.environ.get("DEPOT_PG_BINDIR")
    if env:
        return env if ok(env) else None
    which = shutil.which("pg_ctl")
    if which and ok(d := os.path.dirname(os.path.realpath(which))):
        return d
    found = [d for d in glob.glob("/usr/lib/postgresql/*/bin") if ok(d)]
    ver = lambda d: [int(x) for x in re.findall(r"\d+", d.split("/")[-2])]  # noqa: E731
    return max(found, key=ver) if found else None


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _traversable(path: str) -> bool:
    """True if every folder from / down to path can be traversed by anybody."""
    p = pathlib.Path(os.path.realpath(path))
    return all(d.stat().st_mode & stat.S_IXOTH for d in (p, *p.parents))


class PgServer:
    def __init__(self, bindir: str, tmpdir: str, port: int, run_as: str | None):
        self.bindir, self.tmpdir, self.port, self.run_as = bindir, tmpdir, port, run_as
        self.datadir = os.path.join(tmpdir, "data")
        self.logfile = os.path.join(tmpdir, "postgres.log")
        self.host, self._stopped = "127.0.0.1", False

    @property
    def url(self) -> str:
        return self.url_for("postgres")

    def url_for(self, dbname: str) -> str:
        return f"postgresql+psycopg://{USER}@{self.host}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = "postgres") -> str:
        return f"host={self.host} port={self.port} user={USER} dbname={dbname} connect_timeout=5"

    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [os.path.join(self.bindir, args[0]), *args[1:]]
        if self.run_as:
            if shutil.which("runuser"):
                cmd = ["runuser", "-u", self.run_as, "--", *cmd]
            else:
                cmd = ["su", self.run_as, "-s", "/bin/sh", "-c", shlex.join(cmd)]
        env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
        try:
            return subprocess.run(cmd, cwd=self.tmpdir, env=env, capture_output=True, text=True,
                                  stdin=subprocess.DEVNULL, timeout=timeout)
        except subprocess.TimeoutExpired:
            raise PgUnavailable(f"{shlex.join(cmd)} hung; log tail:\n{self.log_tail()}") from None

    def log_tail(self, lines: int = 30) -> str:
        try:
            with open(self.logfile, errors="replace") as f:
                return "".join(f.readlines()[-lines:])
        except OSError:
            return "(no log file)"

    def _execute(self, query: sql.Composable) -> None:
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(query)

    def create_database(self, name: str, template: str | None = None) -> str:
        q = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
        if template:
            q += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
        self._execute(q)
        return self.url_for(name)

    def drop_database(self, name: str) -> None:
        self._execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))

    def _postmaster_pid(self) -> int | None:
        try:
            with open(os.path.join(self.datadir, "postmaster.pid")) as f:
                return int(f.readline())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        """Stop the server (fast, then immediate, then SIGKILL) and delete its folder."""
        if self._stopped:
            return
        self._stopped = True
        try:
            if self._postmaster_pid() is not None:
                for mode in ("fast", "immediate"):
                    with contextlib.suppress(PgUnavailable):
                        if self._run("pg_ctl", "-D", self.datadir, "-m", mode, "-w", "-t", "30",
                                     "stop", timeout=45).returncode == 0:
                            break
                else:  # last resort, only if that pid really is our postmaster
                    with contextlib.suppress(OSError, TypeError):
                        pid = self._postmaster_pid()
                        with open(f"/proc/{pid}/cmdline", "rb") as f:
                            if self.datadir.encode() in f.read():
                                os.kill(pid, signal.SIGKILL)
        finally:
            shutil.rmtree(self.tmpdir, ignore_errors=True)

    def _start(self) -> None:
        opts = (f"-p {self.port} -k {self.tmpdir} -c listen_addresses=127.0.0.1 "
                "-c max_connections=100 -c fsync=off -c synchronous_commit=off "
                "-c full_page_writes=off")
        r = self._run("pg_ctl", "-w", "-t", "60", "-D", self.datadir, "-l", self.logfile,
                      "-o", opts, "start", timeout=90)
        if r.returncode != 0:
            raise PgUnavailable(f"pg_ctl start failed ({r.returncode}): {r.stderr.strip()}\n"
                                f"log tail:\n{self.log_tail()}")
        deadline, err = time.monotonic() + 10, None
        while time.monotonic() < deadline:
            try:
                with psycopg.connect(self.conninfo(), connect_timeout=2) as conn:
                    conn.execute("SELECT 1")
                return
            except psycopg.Error as e:
                err = e
                time.sleep(0.2)
        raise PgUnavailable(f"server started but refuses connections: {err}\n"
                            f"log tail:\n{self.log_tail()}")


def start_postgres(base_dir: str | None = None) -> PgServer:
    """initdb + start a private server; raise PgUnavailable (after cleaning up) if impossible."""
    bindir = find_pg_bindir()
    if bindir is None:
        raise PgUnavailable("PostgreSQL binaries (initdb, pg_ctl) not found: set DEPOT_PG_BINDIR "
                            "or install PostgreSQL (Debian: apt-get install postgresql)")
    run_as = pw = None
    if os.geteuid() == 0:  # PostgreSQL refuses to run as root
        users = [u for u in pwd.getpwall() if u.pw_name in ("postgres", "nobody")]
        if not users:
            raise PgUnavailable("running as root and neither 'postgres' nor 'nobody' user exists")
        pw = min(users, key=lambda u: u.pw_name != "postgres")
        run_as = pw.pw_name
        base_dir = base_dir or tempfile.gettempdir()
        if not _traversable(base_dir):
            base_dir = "/tmp/circuit-depot-pg"
            os.makedirs(base_dir, exist_ok=True)
            os.chmod(base_dir, 0o755)
    tmpdir = tempfile.mkdtemp(prefix="depot-pg-", dir=base_dir)
    if run_as:
        os.chown(tmpdir, pw.pw_uid, pw.pw_gid)
    server = PgServer(bindir, tmpdir, _free_port(), run_as)
    try:
        common = ("initdb", "-D", server.datadir, "-U", USER, "--auth=trust", "-E", "UTF8",
                  "--no-sync")
        r = server._run(*common, "--locale=C.UTF-8")
        if r.returncode != 0:
            shutil.rmtree(server.datadir, ignore_errors=True)
            r2 = server._run(*common, "--no-locale")
            if r2.returncode != 0:
                raise PgUnavailable(f"initdb failed ({r2.returncode}):\n{r2.stderr.strip()}\n"
                                    f"(with --locale=C.UTF-8: {r.stderr.strip()})")
        for attempt in range(3):  # the free port may be grabbed by someone else meanwhile
            try:
                server._start()
                return server
            except PgUnavailable as e:
                if attempt == 2 or "could not bind" not in str(e):
                    raise
                server.port = _free_port()
    except BaseException:
        server.stop()
        raise
    raise AssertionError("unreachable")


if __name__ == "__main__":
    srv = start_postgres()
    try:
        print("server:", srv.url, "run as", srv.run_as or "current user")
        print("created", srv.create_database("selfcheck"))
        with psycopg.connect(srv.conninfo("selfcheck")) as c:
            print(c.execute("SELECT version()").fetchone()[0])
        srv.drop_database("selfcheck")
        pid = srv._postmaster_pid()  # to check below that it is gone
    finally:
        srv.stop()
        srv.stop()  # idempotent
    try:  # an orphaned postmaster is reaped by PID 1, maybe a bit later: zombie ("Z") is fine
        with open(f"/proc/{pid}/stat") as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        state = "gone"
    print(f"stopped; postmaster {pid}: {state}; folder removed:", not os.path.exists(srv.tmpdir))
    assert state in ("gone", "Z") and not os.path.exists(srv.tmpdir)
