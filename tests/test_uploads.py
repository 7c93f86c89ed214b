"""Uploads: PDFs parsed for active content (a corpus of both kinds), pictures, and the upload flow."""

from __future__ import annotations

import functools
import importlib
import io
import pkgutil
import time
import zlib
from datetime import date
from html import unescape

import pytest
from flask_wtf.file import FileField, MultipleFileField
from PIL import Image
from sqlalchemy import func, select

from app.models.clients import Client
from app.models.files import StoredFile
from tests import pdf_corpus
from tests.conftest import indonesian
from tests.views.test_clients import _form

ACTIVE = "PDF files with scripts, actions or embedded files are not accepted."
UNREADABLE = "The PDF is damaged, empty or cannot be read; scan or save it again."
ENCRYPTED = "The PDF is locked with a password or encrypted; save or scan it again without protection."


def _check(app, data: bytes, name: str = "scan.pdf"):
    from app.uploads import check_upload_bytes

    with app.test_request_context():
        return check_upload_bytes(data, name)


def _refusal(app, data: bytes, name: str = "scan.pdf") -> str:
    from app.uploads import UploadError

    with pytest.raises(UploadError) as refused:
        _check(app, data, name)
    return str(refused.value)


def test_the_corpus_is_big_enough():
    assert len(pdf_corpus.GOOD) >= 10 and len(pdf_corpus.BAD) >= 10


@pytest.mark.parametrize("make", pdf_corpus.GOOD.values(), ids=pdf_corpus.GOOD.keys())
def test_ordinary_pdfs_are_accepted_unchanged(app, make):
    data = make()
    assert _check(app, data) == ("application/pdf", data)


@pytest.mark.parametrize("make", pdf_corpus.BAD.values(), ids=pdf_corpus.BAD.keys())
def test_pdfs_with_active_content_are_refused(app, make):
    assert _refusal(app, make()) == indonesian(ACTIVE)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (pdf_corpus.encrypted, ENCRYPTED),
        (pdf_corpus.unparseable, UNREADABLE),
        (lambda: b"%PDF-1.4\n%%EOF", UNREADABLE),
        (lambda: pdf_corpus.reportlab_letter()[:600], UNREADABLE),  # cut off in transfer
        (
            lambda: pdf_corpus.assemble(
                [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [] /Count 0 >>"]
            ),
            UNREADABLE,
        ),
    ],
    ids=["encrypted", "garbage", "header-only", "truncated", "no-page"],
)
def test_encrypted_and_unreadable_pdfs_are_refused_in_indonesian(app, make, message):
    assert _refusal(app, make()) == indonesian(message)


def test_a_pdf_built_to_exhaust_the_parser_is_refused_quickly(app):
    # 400,000 nested arrays: a recursion bomb for a naive parser.
    bomb = pdf_corpus.assemble([b"<< /Type /Catalog /Pages 2 0 R /X " + b"[" * 400_000 + b"] >>"])
    started = time.perf_counter()
    assert _refusal(app, bomb) == indonesian(UNREADABLE)
    assert time.perf_counter() - started < 5


def test_a_long_scan_is_checked_in_reasonable_time(app):
    data = pdf_corpus.pillow_scan_multipage()
    started = time.perf_counter()
    _check(app, data)
    assert time.perf_counter() - started < 1


@pytest.mark.parametrize(
    ("make", "accepted"),
    [(pdf_corpus.keywords_in_text, True), (pdf_corpus.pillow_scan, True),
     (pdf_corpus.escaped_open_action, False), (pdf_corpus.action_in_object_stream, False)],
    ids=["keywords-in-text", "scan", "escaped-open-action", "object-stream"],
)  # fmt: skip
def test_the_handover_form_takes_scans_and_refuses_scripts(login_as, db_session, make, accepted):
    session = login_as("Kasubsi")
    files_before = db_session.scalar(select(func.count(StoredFile.id)))
    register = f"BKA-97{len(make.__name__) % 10}/{make.__name__[:8]}"
    data = _form(db_session, register_number=register)
    pdf = make()
    data["handover_upload"] = (io.BytesIO(pdf), "bast.pdf")
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    db_session.rollback()
    client = db_session.scalar(select(Client).where(Client.register_number == register))
    if accepted:
        assert response.status_code == 302
        assert session.get(f"/clientview/handover/{client.id}").data == pdf
    else:
        assert response.status_code == 200
        assert indonesian(ACTIVE) in unescape(response.get_data(as_text=True))
        assert client is None
        assert db_session.scalar(select(func.count(StoredFile.id))) == files_before


def png_declaring(width: int, height: int) -> bytes:
    """A valid PNG of `width`×`height` black pixels (1-bit), a few kilobytes on disk."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")

    row = b"\x00" * (1 + (width + 7) // 8)
    packer = zlib.compressobj(9)
    idat = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes([1, 0, 0, 0, 0])
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


TOO_MANY_PIXELS = "The picture has too many pixels: at most %(mp)d megapixels are accepted."


@pytest.mark.parametrize(("width", "height"), [(20000, 20000), (12000, 12000), (50000, 1100)])
def test_a_picture_with_too_many_pixels_is_refused_before_decoding(app, width, height):
    bomb = png_declaring(width, height)
    started = time.perf_counter()
    message = _refusal(app, bomb, "foto.png")
    assert time.perf_counter() - started < 1
    assert message == indonesian(TOO_MANY_PIXELS, mp=50)


def test_a_large_ordinary_picture_is_still_accepted(app):
    mime, data = _check(app, png_declaring(6000, 4000), "scan.png")
    assert mime == "image/png" and data.startswith(b"\x89PNG")


def test_a_decompression_bomb_on_a_form_gives_the_form_back(login_as, db_session):
    session = login_as("Kasubsi")
    register = "BKA-980/2026"
    data = _form(db_session, register_number=register)
    data["handover_upload"] = (io.BytesIO(png_declaring(20000, 20000)), "bast.png")
    started = time.perf_counter()
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    assert time.perf_counter() - started < 3
    assert response.status_code == 200
    page = unescape(response.get_data(as_text=True))
    assert indonesian(TOO_MANY_PIXELS, mp=50) in page
    db_session.rollback()
    assert db_session.scalar(select(Client).where(Client.register_number == register)) is None


def _upload_dir(app) -> set[str]:
    from pathlib import Path

    folder = Path(app.config["UPLOAD_DIR"])
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def test_a_refused_database_write_leaves_no_file(app):
    from sqlalchemy.exc import IntegrityError

    from app.extensions import db
    from app.uploads import store

    before = _upload_dir(app)
    with app.test_request_context():
        existing = db.session.scalar(select(StoredFile).limit(1))
        store("image/png", b"\x89PNG-1", "a.png", None)
        # A row the database refuses in the same transaction (a duplicate storage name).
        db.session.add(StoredFile(storage_name=existing.storage_name, original_name="b", mime_type="x",
                                  size=1, sha256="0" * 64))  # fmt: skip
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
    assert _upload_dir(app) == before


def test_a_rolled_back_or_abandoned_upload_leaves_no_file(app):
    from app.extensions import db
    from app.uploads import store

    before = _upload_dir(app)
    with app.test_request_context():
        store("image/png", b"\x89PNG-2", "a.png", None)
        db.session.flush()
        db.session.rollback()
    with app.test_request_context():
        store("image/png", b"\x89PNG-3", "a.png", None)
        db.session.flush()  # the request ends without a commit: the session is closed
    assert _upload_dir(app) == before
    with app.test_request_context():
        kept = store("image/png", b"\x89PNG-4", "a.png", None)
        db.session.commit()
        assert _upload_dir(app) - before == {kept.storage_name}


def test_a_registration_that_loses_a_race_leaves_no_file(app, login_as, db_session):
    """Two clerks register the same number at once: the loser's scan must not stay on disk."""
    from sqlalchemy import event

    from app.extensions import db

    session = login_as("Kasubsi")
    register = "BKA-9901/2026"  # a number no other test gives
    data = _form(db_session, register_number=register)
    data["handover_upload"] = (io.BytesIO(pdf_corpus.pillow_scan()), "bast.pdf")
    office = db_session.scalar(select(Client.office_id).where(Client.register_number == "BKA-001/2026"))

    rival = {"office_id": office, "register_number": register, "name": "Klien lain", "sex": "L",
             "birth_date": date(1990, 1, 1), "address": "-", "category": "dewasa", "legal_basis": "PB",
             "status": "aktif", "version": 1}  # fmt: skip

    def the_other_clerk_wins(flushing, _context, _instances):
        if any(isinstance(o, Client) for o in flushing.new):
            with db.engine.begin() as other:
                other.execute(Client.__table__.insert().values(**rival))

    before = _upload_dir(app)
    event.listen(db.session, "before_flush", the_other_clerk_wins)
    try:
        response = session.post_form(
            "/clientview/add", data, content_type="multipart/form-data", follow_redirects=True
        )
    finally:
        event.remove(db.session, "before_flush", the_other_clerk_wins)
    assert response.status_code < 500
    # The loser reads why in Indonesian, never the database's own message with the values in it.
    page = response.get_data(as_text=True)
    assert "UNIQUE" not in page.upper().replace("UNIQUE_", "") and "INSERT INTO" not in page
    db_session.rollback()
    same_number = select(Client.name).where(Client.register_number == register, Client.office_id == office)
    assert db_session.scalars(same_number).all() == ["Klien lain"]
    assert _upload_dir(app) == before


@functools.cache
def noisy_photo(width: int, height: int, kind: str, orientation: int | None = None) -> bytes:
    """A photo that compresses badly (sensor noise), as a phone camera gives it."""
    picture = Image.merge("RGB", [Image.effect_noise((width, height), 80) for _ in range(3)])
    out = io.BytesIO()
    if kind == "JPEG":
        exif = Image.Exif()
        if orientation:
            exif[0x0112] = orientation
        picture.save(out, format="JPEG", quality=95, exif=exif)
    else:
        picture.save(out, format="PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    ("photo", "name", "mime"),
    [(lambda: noisy_photo(3400, 2500, "JPEG"), "foto.jpg", "image/jpeg"),
     (lambda: noisy_photo(1600, 1200, "PNG"), "foto.png", "image/png")],
    ids=["jpeg", "png"],
)  # fmt: skip
def test_a_photo_over_the_file_limit_is_reduced_not_refused(app, photo, name, mime):
    original = photo()
    assert len(original) > app.config["MAX_UPLOAD_BYTES"]
    started = time.perf_counter()
    kind, data = _check(app, original, name)
    assert time.perf_counter() - started < 5
    assert kind == mime and len(data) <= app.config["MAX_UPLOAD_BYTES"]
    with Image.open(io.BytesIO(data)) as reduced, Image.open(io.BytesIO(original)) as before:
        assert reduced.format == before.format
        assert reduced.width < before.width and reduced.width / reduced.height == pytest.approx(
            before.width / before.height, rel=0.01
        )


def test_a_reduced_photo_keeps_its_upright_orientation(app):
    # Taken holding the phone upright: stored landscape with an EXIF 'rotate 90°' tag (6).
    original = noisy_photo(3000, 2200, "JPEG", orientation=6)
    _kind, data = _check(app, original, "foto.jpg")
    with Image.open(io.BytesIO(data)) as reduced:
        assert reduced.height > reduced.width
        assert reduced.getexif().get(0x0112) in (None, 1)


def test_a_pdf_over_the_file_limit_is_still_refused(app):
    big = pdf_corpus.assemble([b"<< /Type /Catalog >>"], tail=b"%" + b"0" * (6 * 1024 * 1024))
    assert _refusal(app, big) == indonesian("The file is larger than %(mb)d MB.", mb=5)


def test_a_photo_sent_on_the_handover_form_is_reduced(login_as, db_session):
    session = login_as("Kasubsi")
    register = "BKA-985/2026"
    data = _form(db_session, register_number=register)
    data["handover_upload"] = (io.BytesIO(noisy_photo(3000, 2200, "JPEG")), "bast.jpg")
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    assert response.status_code == 302
    db_session.rollback()
    client = db_session.scalar(select(Client).where(Client.register_number == register))
    assert client.handover_file.size <= 5 * 1024 * 1024
    assert session.get(f"/clientview/handover/{client.id}").data.startswith(b"\xff\xd8\xff")


def test_an_oversized_request_on_a_staff_form_returns_to_the_form(login_as, db_session):
    from tests.workflow.test_travel_permits import TOO_LARGE

    session = login_as("Kasubsi")
    data = _form(db_session, register_number="BKA-986/2026")
    data["handover_upload"] = (io.BytesIO(b"%PDF-1.4\n" + b"0" * (13 * 1024 * 1024)), "bast.pdf")
    response = session.post_form("/clientview/add", data, content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/clientview/add")
    page = unescape(session.get(response.headers["Location"]).get_data(as_text=True))
    assert indonesian(TOO_LARGE, total=12, file=5) in page
    db_session.rollback()
    assert db_session.scalar(select(Client).where(Client.register_number == "BKA-986/2026")) is None


def test_every_file_field_states_its_limits(app):
    import inspect

    import app.forms as package
    from app.forms.fields import UploadNote

    fields = []
    for module in pkgutil.iter_modules(package.__path__):
        forms = importlib.import_module(f"app.forms.{module.name}")
        for _name, form in inspect.getmembers(forms, inspect.isclass):
            for attribute, unbound in vars(form).items():
                if getattr(unbound, "field_class", None) in (FileField, MultipleFileField):
                    fields.append(f"{form.__name__}.{attribute}")
                    assert isinstance(unbound.kwargs.get("description"), UploadNote), attribute
                    assert "accept" in unbound.kwargs.get("render_kw", {}), attribute
    assert len(fields) >= 7
    with app.test_request_context():
        assert str(UploadNote()) == indonesian(
            "PDF, JPG or PNG; at most %(file)d MB per file and %(total)d MB per submission. "
            "Larger photos are reduced automatically.",
            file=5,
            total=12,
        )
