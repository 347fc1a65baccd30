"""``nguon``: run the platform, seed the demo, and the operators' chores (tokens, migrations,
Kafka topics, projection rebuilds). Settings come from ``NGUON_*`` environment variables."""

from __future__ import annotations

import logging
from typing import Annotated
from uuid import UUID

import typer

from services.platform import composition
from services.platform.settings import PlatformSettings
from shared.readmodels.projections import Projections
from shared.records.actors import Role

app = typer.Typer(
    help="Nguồn — traceability for Thanh Hóa's agricultural value chains.",
    no_args_is_help=True,
    add_completion=False,
)
token_app = typer.Typer(help="Bearer tokens for the capture API.", no_args_is_help=True)
db_app = typer.Typer(help="The PostgreSQL database.", no_args_is_help=True)
kafka_app = typer.Typer(help="Apache Kafka topics.", no_args_is_help=True)
projections_app = typer.Typer(help="Read models.", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
app.add_typer(kafka_app, name="kafka")
app.add_typer(projections_app, name="projections")

Port = Annotated[int | None, typer.Option(help="HTTP port (default: NGUON_PORT or 8000).")]


def _settings(port: int | None = None) -> PlatformSettings:
    settings = PlatformSettings()
    if port is None:
        return settings
    update: dict[str, object] = {"port": port}
    if "public_base_url" not in settings.model_fields_set:
        # Links in QR codes follow the chosen port unless a public address is configured.
        update["public_base_url"] = f"http://{settings.host}:{port}"
    return settings.model_copy(update=update)


@app.callback()
def _logging(verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)


@app.command()
def serve(port: Port = None) -> None:
    """Run capture, the public pages and the projections in one process."""
    composition.serve(_settings(port), seed_demo=False)


@app.command()
def demo(port: Port = None) -> None:
    """Seed the demo data (once; seeding again adds nothing), then serve."""
    composition.serve(_settings(port), seed_demo=True)


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="admin, province, cooperative or enterprise")],
    organisation: Annotated[
        UUID | None, typer.Option(help="Required for cooperative and enterprise.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Who the token is for.")] = None,
) -> None:
    """Print a new bearer token (only its hash is stored: copy it now)."""
    with composition.records_only(_settings()) as platform:
        composition.check_token_organisation(platform, role, organisation)
        token = platform.tokens.create(role, organisation, label)
    typer.echo(token)


@db_app.command("migrate")
def db_migrate() -> None:
    """Create or update tables, the services' role and its append-only grants."""
    with composition.records_only(_settings()):
        typer.echo("database ready")


@kafka_app.command("init")
def kafka_init() -> None:
    """Create the platform's Kafka topics (never auto-created)."""
    created = composition.init_kafka(_settings())
    typer.echo(f"topics ready: {', '.join(created)}")


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Replay every stored event into fresh read models, with a progress bar."""
    composition.rebuild(_settings())


@projections_app.command("status")
def projections_status() -> None:
    """Each projection's name, version, position and how many events wait in its quarantine."""
    with composition.records_only(_settings()) as side:
        statuses = Projections(side.connect).status()
    typer.echo(f"{'projection':<12} {'version':>8} {'position':>10} {'quarantined':>12}  state")
    for s in statuses:
        state = "ready" if s.stored_version == s.version and s.complete else "needs rebuild"
        typer.echo(f"{s.name:<12} {s.version:>8} {s.position:>10} {s.quarantined:>12}  {state}")


@projections_app.command("retry")
def projections_retry() -> None:
    """Apply the quarantined events again, in position order, after their cause was fixed."""
    with composition.records_only(_settings()) as side:
        projections = Projections(side.connect)
        results = projections.retry()
        left = projections.quarantined()
    for name, (applied, waiting) in results.items():
        typer.echo(f"{name}: {applied} applied, {waiting} still quarantined")
    for q in left:
        typer.echo(f"  {q.projection} position {q.position} {q.type} {q.aggregate_id}: {q.error}")
    if left:
        raise typer.Exit(code=1)


@app.command()
def relay() -> None:
    """Publish stored events to Kafka (production: one process per deployment)."""
    composition.run_relay_process(_settings())


@app.command()
def projector() -> None:
    """Consume Kafka into the read models (production: scale by partitions)."""
    composition.run_projector_process(_settings())


@app.command("serve-capture")
def serve_capture(port: Port = None) -> None:
    """Only the capture API (production: behind a load balancer)."""
    composition.serve_capture(_settings(port))


@app.command("serve-web")
def serve_web(port: Port = None) -> None:
    """Only the public provenance pages and QR codes."""
    composition.serve_web(_settings(port))


def main() -> None:
    app()
