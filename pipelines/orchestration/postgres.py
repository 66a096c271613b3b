"""The server deployment's PostgreSQL: a cluster of Debian's `postgresql` package in a folder of its own
(`.server/postgres` in the project), listening only on a socket in that folder, started and stopped by
`cchc server`, not by the system. Dagster keeps its runs, event log and schedules in the cluster's
database `dagster` (deploy/dagster.yaml reads its address from CCHC_DAGSTER_PG_URL).

PostgreSQL refuses to run as root: started by root, the cluster runs as the `postgres` user the package
creates, and its folder is handed to that user. The socket admits its owner alone (and root, whom file
permissions do not stop): no other account on the machine reaches the database.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from pipelines.settings import PROJECT_ROOT

DATABASE = "dagster"
ROLE = "cchc"
URL_ENV = "CCHC_DAGSTER_PG_URL"
SERVER_DIR = PROJECT_ROOT / ".server"
# the Dagster instance of the server deployment: storage in PostgreSQL, the writer pool, the run queue
INSTANCE_YAML = PROJECT_ROOT / "deploy" / "dagster.yaml"
SYSTEM_USER = "postgres"
SOCKET_NAME = ".s.PGSQL.5432"
# the longest path of a Unix socket (sun_path, 108 bytes with its terminating zero)
LONGEST_SOCKET = 107


class PostgresUnavailable(Exception):
    """What is missing to run the cluster, said so that an operator can fix it."""


def _binaries(data: Path) -> Path:
    """The folder of initdb and pg_ctl: Debian keeps them per major version, off PATH. A cluster made
    before is run by the version that made it (PG_VERSION), not the newest installed."""
    made_by = (data / "PG_VERSION").read_text().strip() if (data / "PG_VERSION").is_file() else None
    installed = {path.parts[-3]: path.parent for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")}
    if made_by and made_by in installed:
        return installed[made_by]
    if made_by:
        raise PostgresUnavailable(f"the cluster in {data} was made by PostgreSQL {made_by}, not installed")
    if installed:
        return installed[max(installed, key=int)]
    found = shutil.which("pg_ctl")
    if found is None:
        raise PostgresUnavailable("PostgreSQL is not installed: apt-get install -y postgresql")
    return Path(found).parent


def _conf_string(value: Path) -> str:
    return "'" + str(value).replace("'", "''") + "'"


@dataclass(frozen=True)
class Cluster:
    folder: Path

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket(self) -> Path:
        """The folder of the socket: the cluster's own folder (`.s.PGSQL.5432` in it)."""
        return self.folder

    @property
    def log(self) -> Path:
        return self.folder / "postgres.log"

    @property
    def url(self) -> str:
        """Dagster's address of the database: through the socket, no TCP port."""
        return f"postgresql://{ROLE}@/{DATABASE}?host={quote(str(self.socket), safe='/')}"

    def _run(self, *command: str | Path) -> subprocess.CompletedProcess:
        as_postgres = ["runuser", "-u", SYSTEM_USER, "--"] if os.geteuid() == 0 else []
        try:
            return subprocess.run(
                [*as_postgres, *map(str, command)], capture_output=True, text=True, check=False, timeout=120
            )
        except (OSError, subprocess.TimeoutExpired) as error:
            raise PostgresUnavailable(f"{Path(command[0]).name} could not run: {error}") from error

    def _checked(self, *command: str | Path) -> str:
        done = self._run(*command)
        if done.returncode != 0:
            said = done.stderr.strip() or done.stdout.strip()
            if self.log.is_file():
                said += "\n" + "\n".join(self.log.read_text(errors="replace").splitlines()[-5:])
            raise PostgresUnavailable(f"{Path(command[0]).name} failed: {said}")
        return done.stdout

    def is_running(self) -> bool:
        if not self.data.is_dir():
            return False
        return self._run(_binaries(self.data) / "pg_ctl", "status", "-D", self.data).returncode == 0

    def _prepare_folder(self) -> None:
        if len(str(self.socket / SOCKET_NAME).encode()) > LONGEST_SOCKET:
            raise PostgresUnavailable(
                f"the socket path {self.socket / SOCKET_NAME} is longer than {LONGEST_SOCKET} bytes, the"
                " most a socket may have: keep the project in a shorter path"
            )
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return
        try:
            pwd.getpwnam(SYSTEM_USER)
        except KeyError as error:
            raise PostgresUnavailable(
                f"no '{SYSTEM_USER}' user to run PostgreSQL as (root may not): apt-get install -y postgresql"
                " creates it"
            ) from error
        shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)
        if self._run("test", "-w", self.folder).returncode != 0:
            raise PostgresUnavailable(
                f"the {SYSTEM_USER} user cannot reach {self.folder}: a folder above it is closed to"
                " others (chmod o+x on it, or keep the project where other users may enter)"
            )

    def start(self) -> None:
        """Create the cluster and its database the first time, then start it (nothing if it runs)."""
        self._prepare_folder()
        binaries = _binaries(self.data)
        if not (self.data / "PG_VERSION").is_file():
            self._checked(binaries / "initdb", "-D", self.data, "-U", ROLE, "--auth=trust", "-E", "UTF8")
            with (self.data / "postgresql.conf").open("a", encoding="utf-8") as conf:
                conf.write(
                    "\n# cchc server: a socket in the cluster's folder, for its owner alone; no TCP port\n"
                    f"listen_addresses = ''\nunix_socket_directories = {_conf_string(self.socket)}\n"
                    "unix_socket_permissions = 0700\n"
                )
        if not self.is_running():
            self._checked(binaries / "pg_ctl", "start", "-w", "-D", self.data, "-l", self.log)
        exists = f"select 1 from pg_database where datname = '{DATABASE}'"
        psql = [binaries / "psql", "-X", "-h", self.socket, "-U", ROLE, "-d", "postgres", "-tAc"]
        if not self._checked(*psql, exists).strip():
            self._checked(*psql, f"create database {DATABASE}")

    def stop(self) -> None:
        if self.is_running():
            self._checked(_binaries(self.data) / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)


def server_cluster() -> Cluster:
    return Cluster(SERVER_DIR / "postgres")


@contextmanager
def temporary_cluster() -> Iterator[Cluster]:
    """A cluster started in a temp folder of its own, stopped and removed after (tests, `cchc bench`)."""
    folder = Path(tempfile.mkdtemp(prefix="cchc-postgres-"))
    folder.chmod(0o755)  # the postgres user enters it when root starts the cluster
    cluster = Cluster(folder / "postgres")
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(folder, ignore_errors=True)


def prepare_home(home: Path, cluster: Cluster) -> dict[str, str]:
    """A Dagster home on the cluster (deploy/dagster.yaml in it); the environment that points at both."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_YAML, home / "dagster.yaml")
    return {"DAGSTER_HOME": str(home), URL_ENV: cluster.url}
