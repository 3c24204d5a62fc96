"""SPEC 7 on a real PostgreSQL server: a team's store is set up by first use, shared by
learners, and refused or reported (one line, exit 2, never the password) whenever it cannot
be used safely, with nothing touched."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from conftest import REPO, database_url

from drill.store.postgres_schema import SCHEMA_VERSION, schema_version

SECRET = "s3cret-Pa55"


def tables(url: str) -> dict[str, int]:
    """Every table of the database's public schema with its row count."""
    with psycopg.connect(url, autocommit=True) as conn:
        names = [
            name
            for (name,) in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
            )
        ]
        return {
            name: conn.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]  # type: ignore[index]
            for name in names
        }


def headless(drill, url: str, deck: Path, learner: str, answers: str, *more: str):
    return drill("--store", url, "--learner", learner, "run", str(deck), "--headless",
                 "--mode", "drill", "--seed", "1", *more, input=answers)  # fmt: skip


def test_first_use_creates_the_tables_and_every_learner_shares_them(
    drill, postgres_url, sample_deck
):
    assert tables(postgres_url) == {}
    assert drill("--store", postgres_url, "report").code == 0  # reading creates nothing
    assert tables(postgres_url) == {}
    right = sample_deck.parent / "right.yaml"
    right.write_text("rings: 3\n", encoding="utf-8")
    first = headless(drill, postgres_url, sample_deck, "陈静", "", "--answers", str(right))
    assert first.code == 0, first.err
    created = tables(postgres_url)
    assert set(created) == {
        "answers", "card_states", "deck_totals", "drill_meta", "learners", "sessions"}  # fmt: skip
    with psycopg.connect(postgres_url) as conn:
        version = conn.execute("SELECT value FROM drill_meta WHERE key = 'schema_version'")
        assert version.fetchone() == (str(SCHEMA_VERSION),)
    second = headless(drill, postgres_url, sample_deck, "李明", "skip\n" * 6)
    assert second.code == 0, second.err
    exported = drill("--store", postgres_url, "export", "--format", "json")
    rows = json.loads(exported.out)
    assert {r["learner"] for r in rows} == {"陈静", "李明"} and len(rows) == 12
    env = {"DRILL_DECKS": str(sample_deck.parent), "DRILL_STORE": postgres_url}
    chen = json.loads(drill("--learner", "陈静", "stats", "sample", "--json", env=env).out)
    assert (chen["decks"][0]["answers"], chen["decks"][0]["correct"]) == (5, 1)
    li = json.loads(drill("--learner", "李明", "stats", "sample", "--json", env=env).out)
    assert (li["decks"][0]["answers"], li["decks"][0]["correct"]) == (5, 0)


def test_several_drills_creating_the_tables_at_once_all_succeed(
    postgres_url, sample_deck, drill_env
):
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "drill",
                "--store",
                postgres_url,
                "--learner",
                f"agent{n}",
                "run",
                str(sample_deck),
                "--headless",
                "--mode",
                "drill",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=drill_env,
            cwd=REPO,
        )
        for n in range(4)
    ]
    for proc in procs:
        _out, err = proc.communicate(b"skip\n" * 6, timeout=120)
        assert proc.returncode == 0, err.decode()
    counts = tables(postgres_url)
    assert counts["learners"] == 4 and counts["answers"] == 24 and counts["drill_meta"] == 1


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (
            "newer",
            f"was written by a newer drill (schema 99; this drill knows up to {SCHEMA_VERSION})",
        ),
        ("foreign", "already holds tables that are not drill's"),
        ("no-version", "has a drill_meta table without a schema version"),
    ],
)
def test_a_database_drill_cannot_use_safely_is_refused_and_untouched(
    drill, postgres_url, sample_deck, setup, message
):
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        if setup == "newer":
            assert headless(drill, postgres_url, sample_deck, "a", "skip\n" * 6).code == 0
            conn.execute("UPDATE drill_meta SET value = '99' WHERE key = 'schema_version'")
        elif setup == "foreign":
            conn.execute("CREATE TABLE invoices (id int)")
            conn.execute("INSERT INTO invoices VALUES (1)")
        else:
            conn.execute("CREATE TABLE drill_meta (key text PRIMARY KEY, value text NOT NULL)")
    before = tables(postgres_url)
    for command in (["run", str(sample_deck), "--headless"], ["report"], ["export"],
                    ["stats"], ["decks"]):  # fmt: skip
        ran = drill("--store", postgres_url, *command, input="skip\n" * 6)
        assert ran.code == 2, (command, ran)
        assert ran.out == "" and len(ran.err.strip().splitlines()) == 1, (command, ran.err)
        assert message in ran.err and "Traceback" not in ran.err
    assert tables(postgres_url) == before


def test_unreachable_server_and_missing_database_are_one_line_without_the_password(
    drill, postgres_server
):
    unreachable = f"postgresql://drill:{SECRET}@127.0.0.1:1/training"
    ran = drill("--store", unreachable, "report")
    assert ran.code == 2 and SECRET not in ran.err and len(ran.err.strip().splitlines()) == 1
    assert "cannot connect to PostgreSQL at drill@127.0.0.1:1/training" in ran.err
    missing = database_url(postgres_server, "no_such_database")
    ran = drill("--store", missing, "report")
    assert ran.code == 2 and 'database "no_such_database" does not exist' in ran.err
    assert len(ran.err.strip().splitlines()) == 1


def test_only_postgresql_urls_are_stores(drill):
    for url in ("mysql://x/y", "sqlite:///tmp/x", "/tmp/file.db"):
        ran = drill("--store", url, "report")
        assert ran.code == 2 and "--store takes a postgresql://" in ran.err, ran.err
    ran = drill("report", env={"DRILL_STORE": "redis://x"})
    assert ran.code == 2 and "--store takes a postgresql://" in ran.err


def test_a_wrong_password_is_refused_in_one_line_that_never_shows_it(drill, postgres_url):
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        hba = conn.execute("SHOW hba_file").fetchone()[0]  # type: ignore[index]
        if not Path(hba).is_file():
            pytest.skip("the test server's pg_hba.conf is not reachable from here")
        conn.execute("DROP ROLE IF EXISTS drill_agent")
        conn.execute(f"CREATE ROLE drill_agent LOGIN PASSWORD '{SECRET}'")
        original = Path(hba).read_text()
        Path(hba).write_text("local all drill_agent scram-sha-256\n" + original)
        conn.execute("SELECT pg_reload_conf()")
    try:
        wrong = postgres_url.replace("postgres:@", "drill_agent:wrong-" + SECRET + "@")
        ran = drill("--store", wrong, "report")
        assert ran.code == 2, ran
        assert "password authentication failed" in ran.err and SECRET not in ran.err
        assert len(ran.err.strip().splitlines()) == 1
    finally:
        Path(hba).write_text(original)
        with psycopg.connect(postgres_url, autocommit=True) as conn:
            conn.execute("SELECT pg_reload_conf()")
            conn.execute("DROP ROLE IF EXISTS drill_agent")


def test_a_connection_lost_mid_session_ends_with_one_line_and_keeps_every_shown_answer(
    postgres_url, sample_deck, drill_env
):
    proc = subprocess.Popen(
        [sys.executable, "-m", "drill", "--store", postgres_url, "--learner", "a", "run",
         str(sample_deck), "--headless", "--mode", "drill", "--seed", "3"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=drill_env, cwd=REPO, text=True,
    )  # fmt: skip
    assert proc.stdin is not None and proc.stdout is not None
    shown = []
    assert json.loads(proc.stdout.readline())["event"] == "start"
    for _ in range(2):
        assert json.loads(proc.stdout.readline())["event"] == "card"
        proc.stdin.write("skip\n")
        proc.stdin.flush()
        result = json.loads(proc.stdout.readline())
        assert result["event"] == "result"
        shown.append(result["card"])
    assert json.loads(proc.stdout.readline())["event"] == "card"
    with psycopg.connect(postgres_url, autocommit=True) as admin:
        admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    out, err = proc.communicate("skip\n" * 4, timeout=60)
    assert proc.returncode == 2, (out, err)
    assert out == "" and "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert "lost the connection to PostgreSQL at" in err
    with psycopg.connect(postgres_url) as conn:
        stored = [c for (c,) in conn.execute("SELECT card FROM answers ORDER BY id")]
    assert stored == shown


def test_a_drill_that_waited_for_another_creating_the_tables_sees_them_as_drills(postgres_url):
    """The race three drills starting at once hit: one looked for ``drill_meta`` before another
    created the tables, then again (holding the lock) once they were committed. A look-up that
    trusts the server's catalog cache still misses ``drill_meta`` the second time while a count
    of tables already sees the others, and the database was refused as someone else's."""
    from drill.store.postgres import PostgresStore

    with psycopg.connect(postgres_url, autocommit=True) as conn:
        with conn.transaction():
            assert schema_version(conn, "test") is None  # the first look: an empty database
        with conn.transaction():  # the second look's transaction starts...
            conn.execute("SELECT 1")
            other = PostgresStore.open(postgres_url, create=True)  # ...another creates them
            assert other is not None
            other.close()
            assert schema_version(conn, "test") == SCHEMA_VERSION
