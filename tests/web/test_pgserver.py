"""The throwaway PostgreSQL server of the web tests (``pgserver.py``) does what it promises."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
import sqlalchemy as sa
from pgserver import (
    PostgreSQLUnavailable,
    find_binaries,
    fresh_database,
    running_postgresql_or_skip,
)

NOTES = sa.Table(
    "notes",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("body", sa.Text, nullable=False),
)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with running_postgresql_or_skip() as url:
        yield url


@pytest.fixture
def engine(server: str) -> Iterator[sa.Engine]:
    with fresh_database(server) as url:
        engine = sa.create_engine(url)
        yield engine
        engine.dispose()


def _setting(engine: sa.Engine, name: str) -> str:
    with engine.connect() as connection:
        return str(connection.execute(sa.text(f"SHOW {name}")).scalar_one())


def _databases(server: str) -> set[str]:
    engine = sa.create_engine(server)
    with engine.connect() as connection:
        names = set(connection.execute(sa.text("SELECT datname FROM pg_database")).scalars())
    engine.dispose()
    return names


def _enter(server: AbstractContextManager[str]) -> None:
    with server:
        pytest.fail("a server started although none is installed")


def test_a_server_listens_on_loopback_and_is_gone_with_its_directory_afterwards() -> None:
    with running_postgresql_or_skip() as url:
        assert url.startswith("postgresql+pg8000://postgres@127.0.0.1:")
        assert url.endswith("/postgres")
        engine = sa.create_engine(url)
        directory = Path(_setting(engine, "data_directory")).parent
        assert directory.name.startswith("orglens-pg-")
        assert _setting(engine, "listen_addresses") == "127.0.0.1"
        assert _setting(engine, "unix_socket_directories") == str(directory)
        assert _setting(engine, "fsync") == "off"
        assert _setting(engine, "server_encoding") == "UTF8"
        engine.dispose()
        port = sa.make_url(url).port
        assert port is not None
        assert directory.is_dir()
    assert not directory.exists()
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", port), timeout=5).close()


def test_a_server_is_stopped_when_the_code_using_it_fails() -> None:
    with pytest.raises(RuntimeError, match="a failing test"), running_postgresql_or_skip() as url:
        engine = sa.create_engine(url)
        directory = Path(_setting(engine, "data_directory")).parent
        engine.dispose()
        raise RuntimeError("a failing test")
    assert not directory.exists()


def test_swedish_letters_and_emoji_come_back_as_written(engine: sa.Engine) -> None:
    text = "Åsa Öberg läser på Ärlinge: 🎉 👩🏽‍💻"
    NOTES.metadata.create_all(engine)
    with engine.begin() as connection:
        connection.execute(NOTES.insert().values(id=1, body=text))
    with engine.connect() as connection:
        row = connection.execute(
            sa.select(NOTES.c.body, sa.func.char_length(NOTES.c.body)).where(NOTES.c.id == 1)
        ).one()
    assert row == (text, len(text))


def test_a_rolled_back_transaction_leaves_neither_its_rows_nor_its_tables(
    engine: sa.Engine,
) -> None:
    NOTES.metadata.create_all(engine)
    with pytest.raises(RuntimeError, match="changed my mind"), engine.begin() as connection:
        connection.execute(NOTES.insert().values(id=1, body="draft"))
        connection.execute(sa.text("CREATE TABLE scratch (id integer)"))
        raise RuntimeError("changed my mind")
    with engine.connect() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(NOTES)).scalar() == 0
    assert not sa.inspect(engine).has_table("scratch")


def test_two_fresh_databases_are_independent_and_dropped_afterwards(server: str) -> None:
    with fresh_database(server) as first, fresh_database(server) as second:
        assert first != second
        engines = [sa.create_engine(first), sa.create_engine(second)]
        NOTES.metadata.create_all(engines[0])
        with engines[0].begin() as connection:
            connection.execute(NOTES.insert().values(id=1, body="only in the first"))
        assert not sa.inspect(engines[1]).has_table("notes")
        NOTES.metadata.create_all(engines[1])
        with engines[1].connect() as connection:
            assert connection.execute(sa.select(NOTES.c.body)).all() == []
        for engine in engines:
            engine.dispose()
        names = {sa.make_url(first).database, sa.make_url(second).database}
        assert names <= _databases(server)
    assert not names & _databases(server)


def test_a_fresh_database_is_dropped_even_with_a_connection_left_open(server: str) -> None:
    with fresh_database(server) as url:
        engine = sa.create_engine(url, poolclass=sa.NullPool)
        connection = engine.connect()
        connection.execute(sa.text("SELECT 1"))
    assert sa.make_url(url).database not in _databases(server)
    with pytest.raises(sa.exc.DBAPIError):
        connection.execute(sa.text("SELECT 1"))
    connection.invalidate()
    connection.close()


def test_without_binaries_the_error_says_how_to_install_them(tmp_path: Path) -> None:
    with pytest.raises(PostgreSQLUnavailable, match=r"not installed .*run `make test`"):
        find_binaries(debian_root=tmp_path, path=str(tmp_path))


def test_the_newest_debian_version_is_chosen(tmp_path: Path) -> None:
    for version in ("9.6", "15", "13"):
        bin_directory = tmp_path / version / "bin"
        bin_directory.mkdir(parents=True)
        for name in ("initdb", "pg_ctl", "postgres"):
            (bin_directory / name).touch()
    assert find_binaries(debian_root=tmp_path, path=str(tmp_path)) == tmp_path / "15" / "bin"


def test_without_binaries_a_test_skips_with_the_reason_or_fails_under_ci(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pgserver

    monkeypatch.setattr(pgserver, "DEBIAN_ROOT", tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="PostgreSQL not installed"):
        _enter(running_postgresql_or_skip())
    monkeypatch.setenv("CI", "1")
    with pytest.raises(pytest.fail.Exception, match="CI: `make test` should have installed it"):
        _enter(running_postgresql_or_skip())
