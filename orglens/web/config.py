"""The web workspace's settings: where its database and files are, and its limits."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["WebConfig", "default_db_url"]


def default_db_url(data_dir: Path) -> str:
    """The SQLite file ``orglens.db`` inside ``data_dir``.

    >>> default_db_url(Path("/srv/orglens"))
    'sqlite:////srv/orglens/orglens.db'
    """
    return f"sqlite:///{data_dir / 'orglens.db'}"


@dataclass(frozen=True, kw_only=True, slots=True)
class WebConfig:
    """Everything ``create_app`` needs; the limits have defaults a small team can live with.

    Parameters
    ----------
    db_url
        SQLAlchemy URL: ``sqlite:///FILE`` or ``postgresql://user:password@host/db``.
    data_dir
        Uploaded workspaces live under ``data_dir/workspaces``, uploads in progress in
        ``data_dir/tmp``.

    Examples
    --------
    >>> WebConfig.at(Path("data")).db_url
    'sqlite:///data/orglens.db'
    """

    db_url: str
    data_dir: Path
    #: largest upload (a .zip or .xlsx) the server reads, in bytes
    max_upload_bytes: int = 100 * 2**20
    #: largest body of any other form, in bytes
    max_form_bytes: int = 2**20
    session_days: int = 14
    invitation_days: int = 7
    password_min_length: int = 10
    #: failed sign-ins counted over this many seconds ...
    sign_in_window_s: int = 15 * 60
    #: ... at most this many for one e-mail address ...
    sign_in_failures_per_email: int = 5
    #: ... and this many from one client address
    sign_in_failures_per_address: int = 20
    #: server processes serving this database and data folder (``orglens serve --workers``);
    #: with more than one, what a stopped server left is cleaned up once, before they start
    processes: int = 1
    #: compute a new version's dashboard and comparison right after its upload, in the
    #: background (:mod:`orglens.web.warm`); ``orglens serve`` does
    warm_after_upload: bool = False

    @classmethod
    def at(
        cls,
        data_dir: Path,
        db_url: str | None = None,
        *,
        processes: int = 1,
        warm_after_upload: bool = False,
    ) -> WebConfig:
        """The settings for ``data_dir``, its SQLite file unless ``db_url`` names a database."""
        return cls(
            db_url=db_url or default_db_url(data_dir),
            data_dir=data_dir,
            processes=processes,
            warm_after_upload=warm_after_upload,
        )

    @property
    def workspaces_dir(self) -> Path:
        """``DATA/workspaces``: one folder per workspace, one ``v<number>`` per version."""
        return self.data_dir / "workspaces"

    @property
    def locks_dir(self) -> Path:
        """``DATA/locks``: the lock files through which the server's processes compute each
        version's results one at a time (:func:`orglens.web.cache.version_lock`)."""
        return self.data_dir / "locks"

    @property
    def tmp_dir(self) -> Path:
        """``DATA/tmp``: uploads being unpacked (emptied at start-up)."""
        return self.data_dir / "tmp"

    def version_folder(self, workspace_id: int, number: int) -> str:
        """The folder of a version, relative to ``data_dir`` (as the ``versions`` table keeps it).

        >>> WebConfig.at(Path("d")).version_folder(3, 2)
        'workspaces/3/v2'
        """
        return f"workspaces/{workspace_id}/v{number}"
