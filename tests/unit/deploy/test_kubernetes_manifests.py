"""The Kubernetes manifests under ``deploy/kubernetes/``: valid for the API server, offline, and
true to the platform (the commands, settings, probes and replica rules it really has).

``kubernetes-validate`` ships the API's JSON schemas in its wheel, so nothing is downloaded;
strict mode refuses fields the API does not know, which a typo in a manifest would be.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path
from typing import Any

import click
import kubernetes_validate
import pytest
import yaml
from typer.main import get_command

from services.platform.cli import app
from services.platform.settings import PlatformSettings
from shared.kafka.topics import EVENTS_PARTITIONS

KUBERNETES_VERSION = "1.37.0"
HERE = Path(__file__).resolve().parents[3] / "deploy" / "kubernetes"
HTTP_SERVICES = {"capture", "web", "staff"}


def _documents(path: Path) -> list[dict[str, Any]]:
    return [d for d in yaml.safe_load_all(path.read_text()) if d is not None]


MANIFESTS = sorted(p for p in HERE.glob("*.yaml") if p.name != "kustomization.yaml")
EVERY = [(p.name, d) for p in MANIFESTS for d in _documents(p)]


def _of(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for _, d in EVERY if d["kind"] == kind}


def _containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    return list(workload["spec"]["template"]["spec"]["containers"])


WORKLOADS = {**_of("Deployment"), **_of("Job")}


@pytest.mark.parametrize(
    "document", [d for _, d in EVERY], ids=[f"{n}:{d['kind']}" for n, d in EVERY]
)
def test_every_document_is_valid_for_the_kubernetes_api(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_the_validator_refuses_a_field_the_api_does_not_know() -> None:
    broken = copy.deepcopy(_of("Deployment")["nguon-web"])
    container = broken["spec"]["template"]["spec"]["containers"][0]
    container["readinessProbes"] = container.pop("readinessProbe")  # a typo kubectl would refuse
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def test_kustomization_applies_every_manifest_but_the_secrets_template() -> None:
    listed = set(yaml.safe_load((HERE / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in MANIFESTS} - {"secrets.template.yaml"}


def test_every_container_runs_a_real_nguon_command_with_options_it_accepts() -> None:
    for name, workload in WORKLOADS.items():
        for container in _containers(workload):
            assert container["image"] == "nguon:latest", name
            command, words = get_command(app), list(container["args"])
            while isinstance(command, click.Group):  # e.g. `kafka init`: a group, then its command
                word = words.pop(0)
                assert word in command.commands, (name, container["args"])
                command = command.commands[word]
            command.make_context(command.name, words)  # raises on an option it does not take


def _environment(container: dict[str, Any]) -> dict[str, str]:
    """What the container's process sees, with the Secrets' template values filled in."""
    configmaps = {n: d["data"] for n, d in _of("ConfigMap").items()}
    secrets = {n: d["stringData"] for n, d in _of("Secret").items()}
    environment: dict[str, str] = {}
    for source in container.get("envFrom", []):
        if "configMapRef" in source:
            environment.update(configmaps[source["configMapRef"]["name"]])
        else:
            environment.update(secrets[source["secretRef"]["name"]])
    for variable in container.get("env", []):
        ref = variable["valueFrom"]["secretKeyRef"]
        environment[variable["name"]] = secrets[ref["name"]][ref["key"]]
    return {k: v.replace("REPLACE-", "filled-in-") for k, v in environment.items()}


def test_every_setting_a_container_gets_is_one_the_platform_reads() -> None:
    known = {f"NGUON_{field.upper()}" for field in PlatformSettings.model_fields}
    for name, workload in WORKLOADS.items():
        for container in _containers(workload):
            assert set(_environment(container)) <= known, name


@pytest.mark.parametrize("name", sorted(WORKLOADS))
def test_every_container_starts_with_settings_valid_in_production(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside development the platform refuses to start without a real database URL and a
    session secret: a pod missing either would restart for ever."""
    for variable in [v for v in os.environ if v.startswith("NGUON_")]:
        monkeypatch.delenv(variable)
    for container in _containers(WORKLOADS[name]):
        for variable, value in _environment(container).items():
            monkeypatch.setenv(variable, value)
        settings = PlatformSettings()
        assert settings.environment == "production"
        assert settings.kafka_bootstrap_servers


def test_only_the_migrate_job_holds_the_owners_credentials() -> None:
    for name, workload in WORKLOADS.items():
        names = {v["name"] for c in _containers(workload) for v in c.get("env", [])}
        assert ("NGUON_DATABASE_ADMIN_URL" in names) == (name == "nguon-migrate"), name


def test_http_services_are_ready_on_healthz_autoscaled_and_behind_a_service() -> None:
    deployments, services = _of("Deployment"), _of("Service")
    scaled = {h["spec"]["scaleTargetRef"]["name"] for h in _of("HorizontalPodAutoscaler").values()}
    for short in HTTP_SERVICES:
        name = f"nguon-{short}"
        (container,) = _containers(deployments[name])
        assert container["readinessProbe"]["httpGet"]["path"] == "/healthz"
        assert container["ports"][0]["containerPort"] == 8000
        assert name in services
        assert name in scaled
    assert scaled <= set(deployments)


def test_one_relay_and_no_more_projectors_than_partitions() -> None:
    deployments = _of("Deployment")
    relay, projector = deployments["nguon-relay"], deployments["nguon-projector"]
    assert relay["spec"]["replicas"] == 1
    assert relay["spec"]["strategy"]["type"] == "Recreate"  # never two during a rollout
    assert 1 <= projector["spec"]["replicas"] <= EVENTS_PARTITIONS
    autoscalers = _of("HorizontalPodAutoscaler").values()
    autoscaled = {h["spec"]["scaleTargetRef"]["name"] for h in autoscalers}
    assert not autoscaled & {"nguon-relay", "nguon-projector"}


def test_pods_run_unprivileged_with_a_read_only_root() -> None:
    for name, workload in WORKLOADS.items():
        assert workload["spec"]["template"]["spec"]["securityContext"]["runAsNonRoot"], name
        for container in _containers(workload):
            assert container["securityContext"]["readOnlyRootFilesystem"], name
            assert container["resources"]["limits"]["memory"], name
