"""The server deployment's PostgreSQL: a cluster of Debian's `postgresql` package in a folder of its own
(`.server/postgres` in the project), listening only on a socket in that folder, started and stopped by
`cchc server`, no system service. Dagster keeps its runs, event log and schedules in the cluster's
database `dagster` (deploy/dagster.yaml reads its address from CCHC_DAGSTER_PG_URL).

PostgreSQL refuses to run as root: started by root, the cluster runs as the `postgres` user the package
creates, and its folder is handed to that user. Only the socket is open, to whoever can reach the folder
(`trust`): the deployment is one machine, the folder is its boundary.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from pipelines.settings import PROJECT_ROOT

DATABASE = "dagster"
ROLE = "cchc"
URL_ENV = "CCHC_DAGSTER_PG_URL"
SERVER_DIR = PROJECT_ROOT / ".server"
# the Dagster instance of the server deployment: storage in PostgreSQL, the writer pool, the run queue
INSTANCE_YAML = PROJECT_ROOT / "deploy" / "dagster.yaml"
SYSTEM_USER = "postgres"


class PostgresUnavailable(Exception):
    """What is missing to run the cluster, said so that an operator can fix it."""


def _binaries() -> Path:
    """The folder of initdb and pg_ctl: Debian keeps them per version, off PATH."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_ctl"), key=lambda p: int(p.parts[-3]))
    if versions:
        return versions[-1].parent
    found = shutil.which("pg_ctl")
    if found is None:
        raise PostgresUnavailable("PostgreSQL is not installed: apt-get install -y postgresql")
    return Path(found).parent


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
    def url(self) -> str:
        """Dagster's address of the database: through the socket, no TCP port."""
        return f"postgresql://{ROLE}@/{DATABASE}?host={self.socket}"

    def _run(self, *command: str | Path) -> subprocess.CompletedProcess:
        as_postgres = ["runuser", "-u", SYSTEM_USER, "--"] if os.geteuid() == 0 else []
        return subprocess.run(
            [*as_postgres, *map(str, command)], capture_output=True, text=True, check=False, timeout=120
        )

    def _checked(self, *command: str | Path) -> str:
        done = self._run(*command)
        if done.returncode != 0:
            raise PostgresUnavailable(f"{Path(command[0]).name} failed: {done.stderr.strip() or done.stdout}")
        return done.stdout

    def is_running(self) -> bool:
        if not self.data.is_dir():
            return False
        return self._run(_binaries() / "pg_ctl", "status", "-D", self.data).returncode == 0

    def start(self) -> None:
        """Create the cluster and its database the first time, then start it (nothing if it runs)."""
        binaries = _binaries()
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, SYSTEM_USER, SYSTEM_USER)
            if self._run("test", "-w", self.folder).returncode != 0:
                raise PostgresUnavailable(
                    f"the {SYSTEM_USER} user cannot reach {self.folder}: a folder above it is closed to"
                    " others (chmod o+x on it, or keep the project where other users may enter)"
                )
        if not (self.data / "PG_VERSION").is_file():
            self._checked(binaries / "initdb", "-D", self.data, "-U", ROLE, "--auth=trust", "-E", "UTF8")
        if not self.is_running():
            options = f"-c listen_addresses='' -k {self.socket}"
            log = self.folder / "postgres.log"
            self._checked(binaries / "pg_ctl", "start", "-w", "-D", self.data, "-l", log, "-o", options)
        exists = f"select 1 from pg_database where datname = '{DATABASE}'"
        psql = [binaries / "psql", "-h", self.socket, "-U", ROLE, "-d", "postgres", "-tAc"]
        if not self._checked(*psql, exists).strip():
            self._checked(*psql, f"create database {DATABASE}")

    def stop(self) -> None:
        if self.is_running():
            self._checked(_binaries() / "pg_ctl", "stop", "-w", "-m", "fast", "-D", self.data)


def server_cluster() -> Cluster:
    return Cluster(SERVER_DIR / "postgres")


def prepare_home(home: Path, cluster: Cluster) -> dict[str, str]:
    """A Dagster home on the cluster (deploy/dagster.yaml in it); the environment that points at both."""
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(INSTANCE_YAML, home / "dagster.yaml")
    return {"DAGSTER_HOME": str(home), URL_ENV: cluster.url}
