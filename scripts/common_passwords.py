"""Write app/security/common-passwords.txt, the list of passwords a new password may not be.

    python -m venv /tmp/zx && /tmp/zx/bin/pip install zxcvbn==4.5.0
    /tmp/zx/bin/python scripts/common_passwords.py

Two parts: the commonest passwords of Mark Burnett's public-domain set of ten million, as zxcvbn
ships them (its `passwords` frequency list, most common first), and the words Indonesian users
choose (faith, love, family, football clubs, places, this office and its ministry) with the
endings people add to them. Entries are lower case; app.security.passwords compares without case.
"""

from __future__ import annotations

from pathlib import Path

from zxcvbn.frequency_lists import FREQUENCY_LISTS

TARGET = Path(__file__).resolve().parent.parent / "app" / "security" / "common-passwords.txt"
TOP = 5000  # the commonest, whatever their length
LONG = 10  # and every entry of the whole list at least this long

INDONESIAN = """
sayang sayangku sayangkamu cinta cintaku cintakamu aku akusayangkamu akucintakamu kamu rahasia
rahasiaku rahasiakita bismillah alhamdulillah subhanallah astaghfirullah allahuakbar insyaallah
mashaallah muhammad allah amin berkah barokah sukses suksesselalu bahagia bahagiaselalu selamanya
selalu setia kangen rindu hati hatiku manis cantik cantikku ganteng gantengku bidadari pangeran
putri keluarga keluargaku anakku anak mama mamah mamaku papa papah papaku ibu ibuku bapak bapakku
ayah ayahku nenek kakek adik kakak indonesia indonesiaraya merahputih garuda pancasila nusantara
jakarta bandung surabaya semarang yogyakarta jogja jogjakarta solo magelang malang medan bali
makassar palembang jawa jawatengah bapas bapasmagelang balaipemasyarakatan pemasyarakatan
kemenkumham kemenimipas kumham imigrasi lapas rutan pembimbing pembimbingkemasyarakatan
kemasyarakatan kepala kepalabapas pengawas petugas pegawai kantor kantorku pns asn admin
administrator katasandi kata sandi sandiku kunci masuk login selamat selamatdatang terserah apaaja
gakada tidakada rahasianegara persib persija arema aremania bonek persebaya psis psim pssleman
juventus barcelona realmadrid manchester manutd liverpool chelsea arsenal doraemon naruto sasuke
onepiece pokemon kucing kucingku anjingku bunga mawar melati matahari bulan bintang langit pelangi
hujan senja laut pantai gunung merapi borobudur
"""
ENDINGS = [
    "", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789",
    "01", "11", "99", "00", "007", "!", "!!", "1!", "123!", "@123", "#123", "*123",
    *[str(year) for year in range(2015, 2028)],
    *[sep + str(year) for year in (2024, 2025, 2026, 2027) for sep in ("@", "_", "-", ".", "#")],
    *[str(year) + "!" for year in (2024, 2025, 2026, 2027)],
]  # fmt: skip


def entries() -> list[str]:
    """The list, without duplicates, in the order written."""
    ranked = FREQUENCY_LISTS["passwords"]
    found = [p.lower() for p in ranked[:TOP]] + [p.lower() for p in ranked[TOP:] if len(p) >= LONG]
    found += [word + ending for word in INDONESIAN.split() for ending in ENDINGS]
    found += [word + word for word in INDONESIAN.split()]
    return list(dict.fromkeys(p for p in found if p and not p.isspace()))


def main() -> None:
    """Write the file."""
    header = (
        "# Passwords refused for staff accounts (compared without letter case, and also with\n"
        "# everything but letters and digits taken out). Made by scripts/common_passwords.py:\n"
        "# the commonest of Mark Burnett's public-domain ten million passwords (zxcvbn 4.5.0's\n"
        "# list), and common Indonesian choices with the endings people add.\n"
    )
    TARGET.write_text(header + "\n".join(entries()) + "\n", encoding="utf-8")
    print(f"{TARGET}: {len(entries())} entries")


if __name__ == "__main__":
    main()
