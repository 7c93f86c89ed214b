"""Uploads: checked by content and size, re-encoded where possible, stored outside static."""

from __future__ import annotations

import hashlib
import io
import os
import secrets
import warnings
from pathlib import Path

from flask import Flask, current_app, send_file
from flask_babel import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import event
from sqlalchemy.orm import Session, SessionTransaction
from werkzeug.datastructures import FileStorage
from werkzeug.wrappers import Response

from app import pdf_content
from app.extensions import db
from app.models.files import StoredFile

MB = 1024 * 1024
EXTENSIONS = {"application/pdf": {".pdf"}, "image/png": {".png"}, "image/jpeg": {".jpg", ".jpeg"}}


class UploadError(ValueError):
    """An upload refused, with a message for the user."""


def _sniff(data: bytes) -> str | None:
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def init_app(app: Flask) -> None:
    """Make Pillow itself refuse pictures over the pixel limit (a second line of defence), and tie
    the files on disk to the session's commit."""
    Image.MAX_IMAGE_PIXELS = app.config["IMAGE_MAX_PIXELS"]
    _install_session_hooks()


def _too_many_pixels() -> UploadError:
    megapixels = current_app.config["IMAGE_MAX_PIXELS"] // 1_000_000
    return UploadError(
        _("The picture has too many pixels: at most %(mp)d megapixels are accepted.", mp=megapixels)
    )


def _open(data: bytes) -> Image.Image:
    """Open a picture lazily: only its header is read, so its declared size is checked first
    (Pillow checks it too as it opens, against the same limit, see init_app)."""
    image = Image.open(io.BytesIO(data))
    width, height = image.size
    if width * height > current_app.config["IMAGE_MAX_PIXELS"]:
        image.close()
        raise _too_many_pixels()
    return image


def _encode(image: Image.Image, mime: str) -> bytes:
    out = io.BytesIO()
    if mime == "image/png":
        image.save(out, format="PNG", optimize=True)
    else:
        image.convert("RGB").save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()


def _fit(image: Image.Image, mime: str, limit: int) -> bytes:
    """Re-encode the picture, reducing its dimensions until it fits in `limit` bytes."""
    encoded = _encode(image, mime)
    while len(encoded) > limit:
        # Bytes grow with the area: aim a little under the limit, and always shrink by a tenth at least.
        scale = min(0.9, 0.95 * (limit / len(encoded)) ** 0.5)
        size = (max(1, int(image.width * scale)), max(1, int(image.height * scale)))
        if min(size) < 16:
            raise UploadError(_("The file is larger than %(mb)d MB.", mb=limit // MB))
        if image.mode not in ("RGB", "RGBA", "L", "LA"):
            image = image.convert("RGBA" if "transparency" in image.info or image.mode == "PA" else "RGB")
        image = image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        encoded = _encode(image, mime)
    return encoded


def _clean_image(data: bytes, mime: str) -> bytes:
    """Decode and re-encode the picture, which drops anything appended or embedded (EXIF with
    its location too, after turning the picture upright); one over the file limit is reduced."""
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with _open(data) as probe:
                probe.verify()
            with _open(data) as image:
                if len(data) > limit and mime == "image/jpeg" and image.width * image.height > 24_000_000:
                    # libjpeg decodes at half scale directly (still 6 megapixels at least): less
                    # work and memory for a picture that is to be reduced anyway.
                    image.draft("RGB", (image.width // 2, image.height // 2))
                image.load()
                upright = ImageOps.exif_transpose(image)
                upright.info.pop("exif", None)
                return _fit(upright, mime, limit)
    except UploadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise _too_many_pixels() from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise UploadError(_("The picture is damaged or not really a picture.")) from exc


def _check_pdf(data: bytes) -> bytes:
    try:
        active = pdf_content.active_content(data)
    except pdf_content.Encrypted as exc:
        raise UploadError(
            _("The PDF is locked with a password or encrypted; save or scan it again without protection.")
        ) from exc
    except pdf_content.Unreadable as exc:
        raise UploadError(_("The PDF is damaged, empty or cannot be read; scan or save it again.")) from exc
    if active:
        current_app.logger.info("PDF upload refused: %s", active)
        raise UploadError(_("PDF files with scripts, actions or embedded files are not accepted."))
    return data


def check_upload(storage: FileStorage | None, required: bool = False) -> tuple[str, bytes] | None:
    """Validate an uploaded file; return (mime type, safe bytes) or None when absent."""
    if storage is None or not storage.filename:
        if required:
            raise UploadError(_("Please choose a file."))
        return None
    return check_upload_bytes(
        storage.stream.read(current_app.config["MAX_CONTENT_LENGTH"] + 1), storage.filename
    )


def check_upload_bytes(data: bytes, filename: str) -> tuple[str, bytes]:
    """Validate the bytes of a file named `filename`; return (mime type, safe bytes).

    A PDF over the file limit is refused; a photo over it (up to the request limit) is reduced.
    """
    limit = current_app.config["MAX_UPLOAD_BYTES"]
    if not data:
        raise UploadError(_("The file is empty."))
    mime = _sniff(data)
    if mime is None and len(data) > limit:
        raise UploadError(_("The file is larger than %(mb)d MB.", mb=limit // MB))
    if mime is None:
        raise UploadError(_("Only PDF, JPG or PNG files are accepted."))
    too_large = limit if mime == "application/pdf" else current_app.config["MAX_CONTENT_LENGTH"]
    if len(data) > too_large:
        raise UploadError(_("The file is larger than %(mb)d MB.", mb=too_large // MB))
    suffix = Path(filename).suffix.lower()
    if suffix not in EXTENSIONS[mime]:
        raise UploadError(_("The file's content does not match its name (%(name)s).", name=suffix or "-"))
    cleaned = _check_pdf(data) if mime == "application/pdf" else _clean_image(data, mime)
    return mime, cleaned


def store(mime: str, data: bytes, original_name: str, user_id: int | None) -> StoredFile:
    """Add the record of checked bytes to the session; the bytes reach the upload folder only when
    the session commits (see _write_on_commit), so a refused or abandoned request leaves no file."""
    name = secrets.token_hex(16)
    record = StoredFile(
        storage_name=name,
        original_name=Path(original_name).name[:255],
        mime_type=mime,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=user_id,
    )
    db.session.add(record)
    path = Path(current_app.config["UPLOAD_DIR"]) / name
    db.session.info.setdefault(_PENDING, []).append((record, path, data))
    return record


_PENDING = "uploads_pending"  # session.info: (record, path, bytes) to write when the session commits
_WRITTEN = "uploads_written"  # session.info: paths written by a commit that has not finished yet


def _write_on_commit(session: Session) -> None:
    """Before a commit: flush, then write the files whose rows the database accepted."""
    pending = session.info.pop(_PENDING, [])
    if not pending:
        return
    session.flush()
    for record, path, data in pending:
        if record not in session:  # its row went with a rolled-back savepoint
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        session.info.setdefault(_WRITTEN, []).append(path)
        os.replace(partial, path)


def _keep(session: Session) -> None:
    session.info.pop(_WRITTEN, None)


def _discard(session: Session, transaction: SessionTransaction | None = None) -> None:
    """The transaction ended without a commit (rolled back, failed, or closed): no file stays."""
    if transaction is not None and transaction.parent is not None:
        return
    session.info.pop(_PENDING, None)
    for path in session.info.pop(_WRITTEN, []):
        path.unlink(missing_ok=True)
        path.with_name(path.name + ".part").unlink(missing_ok=True)


def _install_session_hooks() -> None:
    for name, hook in (
        ("before_commit", _write_on_commit),
        ("after_commit", _keep),
        ("after_rollback", _discard),
        ("after_transaction_end", _discard),
    ):
        if not event.contains(db.session, name, hook):
            event.listen(db.session, name, hook)


def send(record: StoredFile) -> Response:
    """Serve a stored file as a download that the browser will not sniff or run."""
    path = Path(current_app.config["UPLOAD_DIR"]) / record.storage_name
    response = send_file(
        path, mimetype=record.mime_type, as_attachment=True, download_name=record.original_name
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'"
    return response
