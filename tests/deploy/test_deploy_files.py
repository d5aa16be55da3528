"""The deployment, CI and contribution files parse, agree with each other and with the bot.

No Docker engine or cluster is needed: every file is parsed and checked for what an
operator relies on (probes on the right paths and ports, secrets by reference, the right
commands, only environment variables the bot reads).
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.glossary import validate_glossary
from bot.settings import ENVIRONMENT

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
K8S = DEPLOY / "k8s"
WORKFLOWS = ROOT / ".github" / "workflows"

# Variables that the platform or another program reads, not the bot.
INFRASTRUCTURE = {
    "PATH",
    "PYTHONUNBUFFERED",
    "PYTHONDONTWRITEBYTECODE",
    "PIP_NO_CACHE_DIR",
    "PIP_DISABLE_PIP_VERSION_CHECK",
    "POSTGRES_USER",
    "POSTGRES_PASSWORD",
    "POSTGRES_DB",
}

YAML_FILES = sorted(
    [
        *DEPLOY.rglob("*.yaml"),
        *DEPLOY.rglob("*.yml"),
        *WORKFLOWS.glob("*.yml"),
        ROOT / ".pre-commit-config.yaml",
    ]
)


def load_all(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")) if doc is not None]


def k8s_objects() -> list[dict[str, Any]]:
    """Every object applied to the cluster (the kustomization itself is not one)."""
    return [
        doc
        for path in sorted(K8S.glob("*.yaml"))
        for doc in load_all(path)
        if "kind" in doc and doc["kind"] != "Kustomization"
    ]


def deployment(name: str) -> dict[str, Any]:
    found = [
        o for o in k8s_objects() if o["kind"] == "Deployment" and o["metadata"]["name"] == name
    ]
    assert len(found) == 1, f"one Deployment {name}"
    return found[0]


def containers(obj: dict[str, Any]) -> Iterator[dict[str, Any]]:
    spec = obj["spec"]["template"]["spec"]
    yield from spec.get("initContainers", [])
    yield from spec["containers"]


def dockerfile_env() -> set[str]:
    """Names set by ENV in the Dockerfile (ENV A=1 B=2, continued over lines)."""
    text = (DEPLOY / "Dockerfile").read_text().replace("\\\n", " ")
    names: set[str] = set()
    for line in text.splitlines():
        if line.startswith("ENV "):
            names |= {part.split("=", 1)[0] for part in shlex.split(line[4:]) if "=" in part}
    return names


def systemd_lines(path: Path) -> list[tuple[str, str]]:
    """(key, value) of every setting of a unit file, in order; repeated keys kept."""
    pairs = []
    for line in path.read_text().splitlines():
        line = line.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


# -- everything parses -------------------------------------------------------------------------


@pytest.mark.parametrize("path", YAML_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_yaml_file_parses(path: Path) -> None:
    assert load_all(path), f"{path} is empty"


def test_the_files_the_docs_promise_exist() -> None:
    for name in (
        "deploy/Dockerfile",
        "deploy/compose.yaml",
        "deploy/k8s/web.yaml",
        "deploy/k8s/scheduler.yaml",
        "deploy/k8s/service.yaml",
        "deploy/k8s/settings.yaml",
        "deploy/k8s/kustomization.yaml",
        "deploy/k8s/glossary-configmaps.sh",
        "deploy/systemd/lingo.service",
        "deploy/systemd/lingo-glossary-pull.service",
        "deploy/systemd/lingo-glossary-pull.timer",
        ".github/workflows/ci.yml",
        ".github/workflows/glossary.yml",
        ".github/CODEOWNERS",
        ".github/pull_request_template.md",
        ".pre-commit-config.yaml",
        ".dockerignore",
        "docs/adding-terms.md",
        "docs/deploy.md",
    ):
        assert (ROOT / name).is_file(), name


# -- environment variables ---------------------------------------------------------------------


def test_every_environment_variable_is_one_the_bot_reads() -> None:
    named: dict[str, set[str]] = {"Dockerfile": dockerfile_env()}
    for obj in k8s_objects():
        where = f"k8s {obj['kind']} {obj['metadata']['name']}"
        if obj["kind"] == "ConfigMap" and obj["metadata"]["name"] == "lingo-settings":
            named[where] = set(obj["data"])
        if obj["kind"] == "Deployment":
            named[where] = {e["name"] for c in containers(obj) for e in c.get("env", [])}
    compose = load_all(DEPLOY / "compose.yaml")[0]
    for service, spec in compose["services"].items():
        environment = spec.get("environment", {})
        names = (
            set(environment)
            if isinstance(environment, dict)
            else {entry.split("=", 1)[0] for entry in environment}
        )
        named[f"compose {service}"] = names
    for unit in (DEPLOY / "systemd").glob("*.service"):
        named[unit.name] = {
            value.split("=", 1)[0] for key, value in systemd_lines(unit) if key == "Environment"
        }
    example = DEPLOY / "systemd" / "lingo.env.example"
    named[example.name] = {key for key, _ in systemd_lines(example)}

    for where, names in named.items():
        unknown = names - set(ENVIRONMENT) - INFRASTRUCTURE
        assert not unknown, f"{where} sets variables the bot does not read: {sorted(unknown)}"
    everything = set().union(*named.values())
    assert {"LINGO_GLOSSARY_DIR", "LINGO_DATABASE_URL", "SLACK_BOT_TOKEN"} <= everything


def test_secrets_are_referenced_never_written() -> None:
    for name in ("lingo-web", "lingo-scheduler"):
        for container in containers(deployment(name)):
            for entry in container.get("env", []):
                if entry["name"].startswith("SLACK_") or entry["name"] == "LINGO_DATABASE_URL":
                    assert "value" not in entry, f"{name}: {entry['name']} must come from a Secret"
                    assert entry["valueFrom"]["secretKeyRef"]["name"] == "lingo-secrets"
    assert not [o for o in k8s_objects() if o["kind"] == "Secret"], "no Secret in the repository"
    settings = next(o for o in k8s_objects() if o["kind"] == "ConfigMap")
    assert not {k for k in settings["data"] if k.startswith("SLACK_")}


# -- Kubernetes --------------------------------------------------------------------------------


def test_web_replicas_serve_http_without_the_scheduler() -> None:
    web = deployment("lingo-web")
    assert web["spec"]["replicas"] >= 2
    container = web["spec"]["template"]["spec"]["containers"][0]
    assert container["command"] == ["lingo", "serve", "--http", "--no-scheduler"]
    port = {p["name"]: p["containerPort"] for p in container["ports"]}["http"]
    env = {e["name"]: e.get("value") for e in container["env"]}
    assert env["PORT"] == str(port)
    assert {"SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "LINGO_DATABASE_URL"} <= set(env)
    assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}


def test_exactly_one_scheduler() -> None:
    scheduler = deployment("lingo-scheduler")
    assert scheduler["spec"]["replicas"] == 1
    assert scheduler["spec"]["strategy"]["type"] == "Recreate"
    container = scheduler["spec"]["template"]["spec"]["containers"][0]
    assert container["command"][:2] == ["lingo", "scheduler"]


def test_the_scheduler_is_probed_on_the_port_it_serves() -> None:
    """`lingo scheduler --port N` serves the probes; PORT is the web server's, never read."""
    scheduler = deployment("lingo-scheduler")
    template = scheduler["spec"]["template"]
    container = template["spec"]["containers"][0]
    command = container["command"]
    assert command[:3] == ["lingo", "scheduler", "--port"]
    ports = {p["name"]: p["containerPort"] for p in container["ports"]}
    assert ports == {"ops": int(command[3])}
    assert "PORT" not in {e["name"] for e in container.get("env", [])}
    for probe in ("startupProbe", "livenessProbe"):
        assert container[probe]["httpGet"] == {"path": "/healthz", "port": "ops"}
    assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "ops"}
    assert template["metadata"]["annotations"]["prometheus.io/port"] == command[3]
    assert template["metadata"]["annotations"]["prometheus.io/path"] == "/metrics"


def test_the_service_reaches_the_web_pods_only() -> None:
    service = next(o for o in k8s_objects() if o["kind"] == "Service")
    labels = deployment("lingo-web")["spec"]["template"]["metadata"]["labels"]
    selector = service["spec"]["selector"]
    assert selector.items() <= labels.items()
    scheduler_labels = deployment("lingo-scheduler")["spec"]["template"]["metadata"]["labels"]
    assert not selector.items() <= scheduler_labels.items()
    assert service["spec"]["ports"][0]["targetPort"] == "http"


def test_pods_run_unprivileged() -> None:
    for name in ("lingo-web", "lingo-scheduler"):
        pod = deployment(name)["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        for container in containers(deployment(name)):
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


def test_the_glossary_configmaps_are_the_ones_the_script_publishes() -> None:
    script = (K8S / "glossary-configmaps.sh").read_text()
    published = dict(re.findall(r"^publish (\S+) (\S+)$", script, re.M))
    assert published == {
        "lingo-glossary": "glossary/categories.yaml",
        "lingo-glossary-terms": "glossary/terms",
        "lingo-glossary-digests": "glossary/digests",
    }
    for source in published.values():
        assert (ROOT / source).exists()
    for name in ("lingo-web", "lingo-scheduler"):
        spec = deployment(name)["spec"]["template"]["spec"]
        mounted = {v["configMap"]["name"] for v in spec["volumes"] if "configMap" in v}
        assert mounted == set(published)
        env_from = spec["containers"][0]["envFrom"][0]["configMapRef"]["name"]
        settings = next(o for o in k8s_objects() if o["metadata"]["name"] == env_from)
        glossary_dir = settings["data"]["LINGO_GLOSSARY_DIR"]
        links = spec["initContainers"][0]["command"][-1]
        for part in ("categories.yaml", "terms", "digests"):
            assert f"{glossary_dir}/{part}" in links
        mounts = {m["mountPath"] for m in spec["containers"][0]["volumeMounts"]}
        assert glossary_dir in mounts
        for target in re.findall(r"ln -sfn (\S+)", links):
            assert any(target.startswith(m) for m in mounts), f"{target} is not mounted"


def test_the_glossary_laid_out_as_in_the_pods_validates(tmp_path: Path) -> None:
    """Flat ConfigMap folders (with kubelet's ..data links) joined by symbolic links."""
    for folder, source in (("root", "categories.yaml"), ("terms", "terms"), ("digests", "digests")):
        stamp = tmp_path / "etc" / folder / "..2025_01_01_00_00_00.000000001"
        stamp.mkdir(parents=True)
        files = (
            [ROOT / "glossary" / source]
            if folder == "root"
            else (ROOT / "glossary" / source).iterdir()
        )
        for file in files:
            shutil.copy(file, stamp / file.name)
            (tmp_path / "etc" / folder / file.name).symlink_to(Path("..data") / file.name)
        (tmp_path / "etc" / folder / "..data").symlink_to(stamp.name)
    glossary = tmp_path / "glossary"
    glossary.mkdir()
    (glossary / "categories.yaml").symlink_to(tmp_path / "etc" / "root" / "categories.yaml")
    (glossary / "terms").symlink_to(tmp_path / "etc" / "terms")
    (glossary / "digests").symlink_to(tmp_path / "etc" / "digests")
    report = validate_glossary(glossary)
    assert report.problems == []
    assert len(report.glossary or ()) == len(list((ROOT / "glossary" / "terms").glob("*.yaml")))


def test_kustomization_lists_every_manifest() -> None:
    kustomization = load_all(K8S / "kustomization.yaml")[0]
    manifests = {p.name for p in K8S.glob("*.yaml")} - {"kustomization.yaml"}
    assert set(kustomization["resources"]) == manifests


# -- the image, compose and systemd --------------------------------------------------------------


def test_the_image_is_small_unprivileged_and_checks_its_health() -> None:
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM (\S+)", text, re.M)
    assert stages
    assert all(s == "python:3.11-slim" for s in stages)
    user = re.findall(r"^USER (\S+)", text, re.M)
    assert user
    assert user[-1].split(":")[0] not in ("root", "0")
    assert re.search(r"^HEALTHCHECK .*\n?.*/healthz", text, re.M)
    assert re.search(r'^CMD \["lingo", "serve", "--http"\]$', text, re.M)
    assert re.search(r"^COPY glossary /app/glossary$", text, re.M)
    assert "LINGO_GLOSSARY_DIR=/app/glossary" in text
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert {".env", ".venv", ".git"} <= set(ignored)


def test_compose_runs_the_bot_on_a_healthy_postgresql() -> None:
    compose = load_all(DEPLOY / "compose.yaml")[0]
    postgres, bot = compose["services"]["postgres"], compose["services"]["bot"]
    assert postgres["image"] == "postgres:15"
    assert "pg_isready" in " ".join(postgres["healthcheck"]["test"])
    assert bot["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert bot["build"]["dockerfile"] == "deploy/Dockerfile"
    assert (DEPLOY / bot["build"]["context"] / bot["build"]["dockerfile"]).is_file()
    url = bot["environment"]["LINGO_DATABASE_URL"]
    user, password, db = (
        postgres["environment"][k] for k in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB")
    )
    assert url == f"postgresql://{user}:{password}@postgres:5432/{db}"
    assert bot["env_file"][0]["path"] == "../.env"
    glossary_mount = next(v for v in bot["volumes"] if v.startswith("../glossary:"))
    assert glossary_mount == f"../glossary:{bot['environment']['LINGO_GLOSSARY_DIR']}:ro"


def test_the_systemd_unit_runs_socket_mode_and_reloads_on_sighup() -> None:
    unit = dict(systemd_lines(DEPLOY / "systemd" / "lingo.service"))
    command = shlex.split(unit["ExecStart"])
    assert command[0].endswith("/lingo")
    assert command[1] == "serve"
    assert "--http" not in command
    assert unit["ExecReload"] == "/bin/kill -HUP $MAINPID"
    assert unit["User"] != "root"
    pull = dict(systemd_lines(DEPLOY / "systemd" / "lingo-glossary-pull.service"))
    environment = dict(
        v.split("=", 1)
        for k, v in systemd_lines(DEPLOY / "systemd" / "lingo.service")
        if k == "Environment"
    )
    checkout = environment["LINGO_GLOSSARY_DIR"].removesuffix("/glossary")
    assert f"git -C {checkout} pull --ff-only" in pull["ExecStart"]
    timer = dict(systemd_lines(DEPLOY / "systemd" / "lingo-glossary-pull.timer"))
    assert timer["OnUnitActiveSec"]


# -- CI and contribution files -------------------------------------------------------------------


def steps(workflow: str) -> list[dict[str, Any]]:
    loaded = load_all(WORKFLOWS / workflow)[0]
    return [s for job in loaded["jobs"].values() for s in job["steps"]]


def test_ci_runs_the_readme_test_command_on_python_311_with_postgresql() -> None:
    ci = load_all(WORKFLOWS / "ci.yml")[0]
    assert {"push", "pull_request"} <= set(ci[True])  # YAML 1.1 reads the key `on` as True
    runs = [s.get("run", "") for s in steps("ci.yml")]
    assert any(r.strip() == "make test" for r in runs)
    assert "make test" in (ROOT / "README.md").read_text()
    assert any("LINGO_TEST_POSTGRES_URL" in r and ".ci/start-postgres" in r for r in runs)
    setup = next(s for s in steps("ci.yml") if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "3.11"


def test_glossary_pull_requests_are_validated_and_previewed() -> None:
    workflow = load_all(WORKFLOWS / "glossary.yml")[0]
    assert workflow[True]["pull_request"]["paths"] == ["glossary/**"]
    runs = "\n".join(s.get("run", "") for s in steps("glossary.yml"))
    assert "lingo validate glossary" in runs
    assert "lingo preview" in runs
    assert '>> "$GITHUB_STEP_SUMMARY"' in runs
    assert "${{" not in runs, "no expressions inside scripts (use env:)"
    assert workflow["permissions"] == {"contents": "read"}


def test_glossary_admins_own_the_glossary() -> None:
    rules = [
        line.split()
        for line in (ROOT / ".github" / "CODEOWNERS").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    owner = next(rule for rule in reversed(rules) if rule[0] == "/glossary/")
    assert owner[1:] == ["@llm-lingo/glossary-admins"]
    template = (ROOT / ".github" / "pull_request_template.md").read_text()
    assert "lingo new-term" in template
    assert "own words" in template


def test_the_pre_commit_hook_runs_the_validator() -> None:
    config = load_all(ROOT / ".pre-commit-config.yaml")[0]
    hook = config["repos"][0]["hooks"][0]
    assert hook["entry"] == "make validate"
    assert "lingo validate" in (ROOT / "Makefile").read_text()
    assert hook["files"] == "^glossary/"
    assert hook["pass_filenames"] is False


def test_the_example_in_adding_terms_is_a_valid_term(tmp_path: Path) -> None:
    guide = (ROOT / "docs" / "adding-terms.md").read_text()
    example = re.search(r"```yaml\n(.*?)```", guide, re.S)
    assert example
    root = tmp_path / "glossary"
    shutil.copytree(ROOT / "glossary", root)
    data = yaml.safe_load(example[1])
    (root / "terms" / f"{data['id']}.yaml").write_text(example[1])
    report = validate_glossary(root)
    assert report.problems == []


def test_deploy_md_matches_the_files() -> None:
    text = (ROOT / "docs" / "deploy.md").read_text()
    for path in [*YAML_FILES, DEPLOY / "Dockerfile", K8S / "glossary-configmaps.sh"]:
        if path.parent in (DEPLOY, K8S) and "slack-manifest" not in path.name:
            assert path.name in text, f"docs/deploy.md does not mention {path.name}"
    web = deployment("lingo-web")
    assert f"`replicas: {web['spec']['replicas']}`" in text
    assert "`" + " ".join(web["spec"]["template"]["spec"]["containers"][0]["command"]) + "`" in text
    assert "`lingo scheduler`" in text
    scheduler = deployment("lingo-scheduler")["spec"]["template"]["spec"]["containers"][0]
    assert "`" + " ".join(scheduler["command"]) + "`" in text
    assert "postgres:15" in text
    assert "lingo-secrets" in text
