"""The Kustomize overlays render, every object is valid Kubernetes 1.30 (strict:
no unknown field), and every pod runs hardened with the probes it needs."""

import copy

import kubernetes_validate
import pytest
from django.core.management import get_commands
from kubernetes_validate.utils import SchemaNotFoundError

from .conftest import OVERLAYS, find, pod_templates, render

KUBERNETES_VERSION = "1.30.0"
APP = "component-registry"
SECRETS = {
    ("registry-secrets", "secret-key"),
    ("registry-secrets", "oidc-encryption-key"),
    ("registry-database", "url"),
    ("registry-database-owner", "url"),
    ("registry-redis", "url"),
}


@pytest.mark.parametrize("target", ["base", *OVERLAYS])
def test_every_rendered_object_is_valid_kubernetes_1_30_in_strict_mode(target):
    objects = render(target)
    assert objects
    for obj in objects:
        try:
            version = kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
        except SchemaNotFoundError as exc:  # a kind the schemas do not know is a failure too
            pytest.fail(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message}")
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{obj['kind']}/{obj['metadata']['name']}: {exc.message}")
        assert version == "1.30"


def test_strict_validation_refuses_a_field_kubernetes_does_not_have():
    """The check above can fail: a misspelt field (readOnlyRootFileSystem) is refused."""
    deployment = copy.deepcopy(find(render("base"), "Deployment", "registry-web"))
    context = deployment["spec"]["template"]["spec"]["containers"][0]["securityContext"]
    context["readOnlyRootFileSystem"] = context.pop("readOnlyRootFilesystem")
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(deployment, KUBERNETES_VERSION, strict=True)


@pytest.mark.parametrize("target", OVERLAYS)
def test_each_overlay_has_the_parts_the_issue_lists(target):
    objects = render(target)
    kinds = {(o["kind"], o["metadata"]["name"]) for o in objects}
    assert {
        ("Deployment", "registry-web"),
        ("Deployment", "registry-worker"),
        ("Job", "registry-migrate"),
        ("Service", "registry-web"),
        ("Ingress", "registry"),
        ("ConfigMap", "registry-config"),
        ("PodDisruptionBudget", "registry-web"),
        ("HorizontalPodAutoscaler", "registry-web"),
        ("NetworkPolicy", "registry-web"),
        ("NetworkPolicy", "registry-postgresql"),
        ("NetworkPolicy", "registry-redis"),
    } <= kinds
    namespaces = {o["metadata"].get("namespace") for o in objects}
    assert namespaces == {"registry-dev" if target == "dev" else "registry"}


def test_the_web_deployment_rolls_two_replicas_without_losing_one():
    web = find(render("base"), "Deployment", "registry-web")
    assert web["spec"]["replicas"] == 2
    assert web["spec"]["strategy"] == {
        "type": "RollingUpdate",
        "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0},
    }
    pdb = find(render("base"), "PodDisruptionBudget", "registry-web")
    assert pdb["spec"]["selector"]["matchLabels"] == web["spec"]["selector"]["matchLabels"]
    hpa = find(render("base"), "HorizontalPodAutoscaler", "registry-web")
    assert hpa["spec"]["scaleTargetRef"]["name"] == "registry-web"
    assert hpa["spec"]["minReplicas"] == 2


@pytest.mark.parametrize("target", OVERLAYS)
def test_web_and_worker_pods_share_the_dumps_volume_at_dump_dir(target):
    """The worker writes the nightly dump; every web replica serves it: one
    ReadWriteMany claim, writable in the worker, read-only in the web pods, at
    the DUMP_DIR the ConfigMap sets (a pod-local directory would leave
    /api/v1/dumps/latest empty on every replica but one)."""
    objects = render(target)
    claim = find(objects, "PersistentVolumeClaim", "registry-dumps")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    dump_dir = find(objects, "ConfigMap", "registry-config")["data"]["DUMP_DIR"]
    for name, read_only in [("registry-web", True), ("registry-worker", False)]:
        spec = find(objects, "Deployment", name)["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        (container,) = [c for c in spec["containers"] if c["name"] in ("web", "worker")]
        (mount,) = [m for m in container["volumeMounts"] if m["mountPath"] == dump_dir]
        assert volumes[mount["name"]]["persistentVolumeClaim"]["claimName"] == "registry-dumps"
        assert mount.get("readOnly", False) is read_only, name


@pytest.mark.parametrize("target", OVERLAYS)
def test_web_and_worker_pods_find_the_api_design_rules_ruleset_at_adr_ruleset(target):
    """Spectral lints with the ruleset Logius publishes; the image does not carry
    it, so it comes from a ConfigMap (optional: the pods start without it)."""
    objects = render(target)
    path = find(objects, "ConfigMap", "registry-config")["data"]["ADR_RULESET"]
    for name in ("registry-web", "registry-worker"):
        spec = find(objects, "Deployment", name)["spec"]["template"]["spec"]
        volumes = {v["name"]: v for v in spec["volumes"]}
        (container,) = [c for c in spec["containers"] if c["name"] in ("web", "worker")]
        (mount,) = [m for m in container["volumeMounts"] if path.startswith(m["mountPath"] + "/")]
        config = volumes[mount["name"]]["configMap"]
        assert config == {"name": "registry-adr-ruleset", "optional": True}, name
        assert mount["readOnly"] is True
        assert path == f"{mount['mountPath']}/linter.yaml"


@pytest.mark.parametrize("target", OVERLAYS)
def test_no_secret_value_is_in_the_repository_only_references(target):
    objects = render(target)
    assert not [o for o in objects if o["kind"] == "Secret"]
    referenced = set()
    for _obj, spec in pod_templates(objects):
        for container in spec.get("initContainers", []) + spec["containers"]:
            for variable in container.get("env", []):
                ref = variable.get("valueFrom", {}).get("secretKeyRef")
                if ref:
                    referenced.add((ref["name"], ref["key"]))
                else:
                    assert "value" not in variable or variable["name"] not in (
                        "SECRET_KEY",
                        "DATABASE_URL",
                        "REDIS_URL",
                    )
    assert referenced == SECRETS
    config = find(objects, "ConfigMap", "registry-config")["data"]
    assert not {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} & set(config)


@pytest.mark.parametrize("target", OVERLAYS)
def test_every_pod_runs_as_non_root_read_only_without_capabilities(target):
    templates = list(pod_templates(render(target)))
    assert len(templates) >= 3
    for obj, spec in templates:
        where = f"{target}: {obj['kind']}/{obj['metadata']['name']}"
        assert spec["enableServiceLinks"] is False, where
        assert spec["automountServiceAccountToken"] is False, where
        pod = spec["securityContext"]
        assert pod["runAsNonRoot"] is True, where
        assert pod["seccompProfile"] == {"type": "RuntimeDefault"}, where
        ours = obj["metadata"]["labels"]["app.kubernetes.io/name"] == APP
        if ours:
            assert (pod["runAsUser"], pod["runAsGroup"]) == (1000, 1000), where
        volumes = {v["name"]: v for v in spec.get("volumes", [])}
        for container in spec.get("initContainers", []) + spec["containers"]:
            here = f"{where} container {container['name']}"
            context = container["securityContext"]
            assert context["allowPrivilegeEscalation"] is False, here
            assert context["readOnlyRootFilesystem"] is True, here
            assert context["runAsNonRoot"] is True, here
            assert context["capabilities"] == {"drop": ["ALL"]}, here
            assert context["seccompProfile"] == {"type": "RuntimeDefault"}, here
            if ours:
                assert context["runAsUser"] == 1000, here
            for kind in ("requests", "limits"):
                assert set(container["resources"][kind]) == {"cpu", "memory"}, here
            # What must be written goes to an emptyDir (or the shared dumps claim),
            # never to the image.
            # A ConfigMap (the API Design Rules ruleset) is mounted read-only.
            for mount in container.get("volumeMounts", []):
                volume = volumes[mount["name"]]
                claim = volume.get("persistentVolumeClaim", {}).get("claimName")
                read_only_config = "configMap" in volume and mount.get("readOnly") is True
                assert "emptyDir" in volume or claim == "registry-dumps" or read_only_config, here
            if ours:
                mounts = {m["mountPath"] for m in container["volumeMounts"]}
                assert "/tmp" in mounts, here  # noqa: S108


@pytest.mark.parametrize("target", OVERLAYS)
def test_web_pods_have_three_probes_on_three_endpoints(target, client, db):
    web = find(render(target), "Deployment", "registry-web")
    container = web["spec"]["template"]["spec"]["containers"][0]
    paths = {
        probe: container[probe]["httpGet"]["path"]
        for probe in ("livenessProbe", "readinessProbe", "startupProbe")
    }
    assert paths == {
        "livenessProbe": "/health/live",
        "readinessProbe": "/health/ready",
        "startupProbe": "/health/startup",
    }
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    for probe in paths:
        assert container[probe]["httpGet"]["port"] == "http"
    assert ports["http"] == 8000
    # The paths answer in this code base, as the kubelet asks (its own Host header).
    for path in paths.values():
        response = client.get(path, HTTP_HOST="10.1.2.3:8000")
        assert response.status_code == 200, path


@pytest.mark.parametrize("target", OVERLAYS)
def test_long_running_pods_of_others_have_probes_too(target):
    for obj, spec in pod_templates(render(target)):
        if obj["kind"] != "Deployment" or obj["metadata"]["name"] == "registry-worker":
            continue
        for container in spec["containers"]:
            assert "readinessProbe" in container and "livenessProbe" in container, obj


@pytest.mark.parametrize("target", OVERLAYS)
def test_migrations_run_once_in_a_job_and_the_app_pods_wait_for_them(target):
    objects = render(target)
    job = find(objects, "Job", "registry-migrate")
    migrate = job["spec"]["template"]["spec"]["containers"][0]
    assert migrate["command"] == ["python", "manage.py", "migrate", "--noinput"]
    owner = {v["name"]: v for v in migrate["env"]}["DATABASE_URL"]
    assert owner["valueFrom"]["secretKeyRef"]["name"] == "registry-database-owner"
    for name in ("registry-web", "registry-worker"):
        spec = find(objects, "Deployment", name)["spec"]["template"]["spec"]
        first = spec["initContainers"][0]
        assert first["command"][:3] == ["python", "manage.py", "wait_for_migrations"], name
        app_url = {v["name"]: v for v in spec["containers"][0]["env"]}["DATABASE_URL"]
        assert app_url["valueFrom"]["secretKeyRef"]["name"] == "registry-database"


def test_every_command_in_the_manifests_is_a_command_of_ours():
    commands = get_commands()
    for target in OVERLAYS:
        for obj, spec in pod_templates(render(target)):
            if obj["metadata"]["labels"]["app.kubernetes.io/name"] != APP:
                continue
            for container in spec.get("initContainers", []) + spec["containers"]:
                command = container["command"]
                if command[:2] == ["python", "manage.py"]:
                    assert command[2] in commands, command
                else:
                    assert command[:3] == ["gunicorn", "--config", "python:registry.gunicorn_conf"]


@pytest.mark.parametrize("target", OVERLAYS)
def test_only_the_ingress_reaches_the_site_and_only_monitoring_the_metrics(target):
    objects = render(target)
    service = find(objects, "Service", "registry-web")
    assert [p["targetPort"] for p in service["spec"]["ports"]] == ["http"]
    ingress = find(objects, "Ingress", "registry")
    assert ingress["spec"]["tls"][0]["secretName"] == "registry-tls"
    assert ingress["spec"]["tls"][0]["hosts"] == [r["host"] for r in ingress["spec"]["rules"]]
    backend = ingress["spec"]["rules"][0]["http"]["paths"][0]["backend"]["service"]
    assert backend == {"name": "registry-web", "port": {"name": "http"}}

    web = find(objects, "NetworkPolicy", "registry-web")["spec"]
    assert web["policyTypes"] == ["Ingress"]
    rules = {
        rule["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"]: [
            p["port"] for p in rule["ports"]
        ]
        for rule in web["ingress"]
    }
    assert rules == {"ingress-nginx": ["http"], "monitoring": ["metrics"]}
    for name, port in (("registry-postgresql", 5432), ("registry-redis", 6379)):
        policy = find(objects, "NetworkPolicy", name)["spec"]
        assert policy["ingress"] == [
            {
                "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": APP}}}],
                "ports": [{"port": port}],
            }
        ]
    closed = find(objects, "NetworkPolicy", "registry-worker-and-migrate")["spec"]
    assert closed["policyTypes"] == ["Ingress"] and "ingress" not in closed


def test_the_dev_databases_are_reachable_only_under_those_policies():
    """The dev overlay's PostgreSQL and Redis carry the labels the policies select."""
    objects = render("dev")
    for name, label in (("registry-postgresql", "postgresql"), ("registry-redis", "redis")):
        pod = find(objects, "Deployment", name)["spec"]["template"]["metadata"]["labels"]
        assert pod["app.kubernetes.io/name"] == label


def test_the_schemas_ship_inside_the_package_and_validation_needs_no_network(monkeypatch):
    import importlib.resources
    import socket

    schemas = importlib.resources.files("kubernetes_validate") / "kubernetes-json-schema"
    assert (schemas / "v1.30.0-local-strict" / "deployment-apps-v1.json").is_file()

    def no_network(*args, **kwargs):
        raise AssertionError("kubernetes-validate tried to reach the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    for obj in render("production"):
        kubernetes_validate.validate(obj, KUBERNETES_VERSION, strict=True)
