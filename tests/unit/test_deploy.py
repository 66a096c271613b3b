"""The Kubernetes config is shipped, not run here (no cluster in `make test`): it must at least stay in
step with the project, its pinned versions and the limits the server deployment runs with."""

import re

import yaml

from pipelines.settings import PROJECT_ROOT

K8S = PROJECT_ROOT / "deploy" / "k8s"


def _pinned(name: str) -> str:
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    return re.search(rf"^{re.escape(name)}==(\S+)$", lock, re.MULTILINE).group(1)


def test_the_chart_and_the_image_use_the_pinned_dagster():
    values = (K8S / "values.yaml").read_text(encoding="utf-8")
    assert f"--version {_pinned('dagster')}" in values  # the chart's version is dagster's
    dockerfile = (K8S / "Dockerfile").read_text(encoding="utf-8")
    # dagster-k8s is released with the other integrations: the same version as dagster-postgres
    assert f'"dagster-k8s=={_pinned("dagster-postgres")}"' in dockerfile
    for copied in re.findall(r"^COPY (\S+) ", dockerfile, re.MULTILINE):
        assert (PROJECT_ROOT / copied).exists(), copied


def test_one_writer_of_the_warehouse_as_on_one_machine():
    server = yaml.safe_load((PROJECT_ROOT / "deploy" / "dagster.yaml").read_text(encoding="utf-8"))
    values = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
    assert values["concurrency"]["enabled"] is True  # else the chart leaves the block out of the instance
    assert (
        values["concurrency"]["pools"]["defaultLimit"] == server["concurrency"]["pools"]["default_limit"] == 1
    )
    (location,) = values["dagster-user-deployments"]["deployments"]
    assert location["dagsterApiGrpcArgs"] == ["-m", "pipelines.definitions"]
    mounts = {
        mount["mountPath"] for mount in values["runLauncher"]["config"]["k8sRunLauncher"]["volumeMounts"]
    }
    assert mounts == {mount["mountPath"] for mount in location["volumeMounts"]}  # runs see the same files
