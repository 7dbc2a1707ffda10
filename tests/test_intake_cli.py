"""The back office commands: broker, user import, news, product, intake-key, publish-folder."""

from __future__ import annotations

import csv
import datetime as dt
import email
import email.policy
import json
import re

import pytest
from sqlalchemy import func, select

from bipro.cli import main
from bipro.core.errors import AuthenticationFailed
from bipro.core.identity.accounts import ONE_EMAIL_ADDRESS
from bipro.core.identity.password_reset import consume_reset, verify_reset
from bipro.core.intake import authenticate_key
from bipro.core.portfolio import dashboard
from bipro.core.text_rules import FORBIDDEN_CHARACTERS
from store.models import AuditEvent, Broker, PasswordResetToken, Shipment, User
from tests.support.intake import pdf_bytes


@pytest.fixture
def cli(gateway, monkeypatch, capsys):
    """Run ``bipro-gateway ARGS`` in this process against the module's gateway: (code, out, err)."""
    monkeypatch.setenv("BIPRO_DATABASE_URL", gateway.settings.database_url)
    monkeypatch.setenv("BIPRO_INSTANCE_PATH", str(gateway.settings.instance_path))
    monkeypatch.setenv("BIPRO_BCRYPT_ROUNDS", "4")
    monkeypatch.setenv("BIPRO_PUBLIC_URL", "https://extranet.docura.example")

    def run(*args):
        capsys.readouterr()
        code = main(list(args))
        out, err = capsys.readouterr()
        return code, out, err
    return run


def audited(gateway, event: str) -> list[AuditEvent]:
    with gateway.db.session() as session:
        return list(session.scalars(select(AuditEvent).where(AuditEvent.event == event)
                                    .order_by(AuditEvent.id)))


def test_broker_create_update_list(cli, gateway):
    code, out, _ = cli("broker", "create", "300300", "--name", "Maklerbüro Nord GmbH",
                       "--street", "Hafenstraße 1", "--postcode", "20457", "--town", "Hamburg",
                       "--email", "info@nord.example")
    assert code == 0 and "300300" in out
    code, _, err = cli("broker", "create", "300300", "--name", "Doppelt")
    assert code == 1 and "gibt es bereits" in err
    code, _, err = cli("broker", "create", "300301", "--name", "X", "--email", "kein-mail")
    assert code == 1 and "E-Mail" in err
    assert cli("broker", "update", "300300", "--phone", "040 123456")[0] == 0
    code, _, err = cli("broker", "update", "999999", "--phone", "1")
    assert code == 1 and "unbekannt" in err
    code, out, _ = cli("broker", "list")
    line = next(row for row in out.splitlines() if row.startswith("300300\t"))
    assert line.split("\t") == ["300300", "Maklerbüro Nord GmbH", "Hafenstraße 1, 20457 Hamburg",
                                "040 123456", "info@nord.example"]
    with gateway.db.session() as session:
        assert session.scalar(select(func.count()).where(Broker.number == "300301")) == 0
    assert [e.detail for e in audited(gateway, "broker_updated")][-1] == "geändert: phone"
    assert audited(gateway, "broker_created")[-1].channel == "cli"


def test_broker_input_with_invisible_characters_or_a_long_number_is_refused(cli, gateway):
    """A soft hyphen in the name reached the GDV header, which our own import then refused."""
    assert cli("broker", "create", "300310", "--name", "Maklerbüro Ost")[0] == 0
    code, _, err = cli("broker", "update", "300310", "--name", "Makler\u00adbüro Ost")
    assert code == 1 and FORBIDDEN_CHARACTERS in err
    code, _, err = cli("broker", "update", "300310", "--town", "Ber\u200blin", "--phone", "030 1\t2")
    assert code == 1 and err.count(FORBIDDEN_CHARACTERS) == 2
    code, _, err = cli("broker", "create", "300311", "--name", "Neu\u202e")
    assert code == 1 and FORBIDDEN_CHARACTERS in err
    code, _, err = cli("broker", "create", "12345678901", "--name", "Zu lang")
    assert code == 1 and "1 bis 10 Ziffern" in err
    code, _, err = cli("broker", "update", "300310", "--email", "a@ost.example, b@evil.example")
    assert code == 1 and "keine E-Mail-Adresse" in err
    # A name pasted from a Mac is kept composed.
    assert cli("broker", "update", "300310", "--name", "Maklerbu\u0308ro Ost")[0] == 0
    with gateway.db.session() as session:
        assert session.scalars(select(Broker.number).where(Broker.number.in_(["300311", "12345678901"]))).all() == []
        broker = session.scalars(select(Broker).where(Broker.number == "300310")).one()
        assert (broker.name, broker.town, broker.phone, broker.email) == ("Maklerbüro Ost", "", "", "")


@pytest.mark.parametrize("address", ["eva@makler.de, fremd@evil.example", "eva@makler.de;fremd@evil.example",
                                     "Eva <eva@makler.de>", "eva@makler.de fremd@evil.example",
                                     "eva@makler"])
def test_a_login_gets_exactly_one_mail_address(cli, gateway, tmp_path, address):
    """Password links are mailed to it: a second address would receive a live link."""
    code, out, err = cli("user", "create", "--broker", "100100", "--name", "Eva Zwei", "--email", address)
    assert code == 1 and ONE_EMAIL_ADDRESS in err and "Erstpasswort" not in out
    table = tmp_path / "users.csv"
    with table.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";").writerows([["login", "vermittlernummer", "name", "email"],
                                                ["eva-zwei", "100100", "Eva Zwei", address]])
    code, _, err = cli("user", "import", str(table))
    assert code == 1 and "Zeile 2" in err and ONE_EMAIL_ADDRESS in err
    with gateway.db.session() as session:
        assert session.scalar(select(func.count()).where(User.full_name == "Eva Zwei")) == 0
    assert not any(address in p.read_text(errors="replace")
                   for p in (gateway.settings.instance_path / "outbox").glob("*.eml"))


def test_user_import_invites_by_mail_and_never_shows_a_password(cli, gateway, tmp_path):
    assert cli("broker", "create", "400400", "--name", "Makler Süd")[0] == 0
    table = tmp_path / "users.csv"
    table.write_text("Login;Vermittlernummer;Name;E-Mail\n"
                     "sued-anna;400400;Anna Süd;anna@sued.example\n"
                     "sued-ben;400400;Ben Süd;ben@sued.example\n", encoding="utf-8")
    code, out, err = cli("user", "import", str(table))
    assert code == 0, err
    assert "2 angelegt" in out and "Passwort:" not in out and "Erstpasswort" not in out
    mails = {m["To"]: m for m in (email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
                                  for p in (gateway.settings.instance_path / "outbox").glob("*.eml"))}
    invitation = mails["anna@sued.example"]
    assert invitation["Subject"] == "Passwort festlegen für das Docura Extranet"
    body = invitation.get_content()
    token = re.search(r"https://extranet\.docura\.example/passwort-zuruecksetzen/(\S+)", body)[1]
    with gateway.db.session() as session:
        owner = verify_reset(session, token)
        user = session.get(User, owner.id)
        assert (owner.login, owner.full_name, user.broker.number) == ("sued-anna", "Anna Süd", "400400")
        expires = session.scalar(select(PasswordResetToken.expires_at).where(PasswordResetToken.user_id == user.id))
        # A first password gets longer than a "Passwort vergessen" link (30 minutes).
        assert expires - user.created_at > dt.timedelta(hours=71)
        consume_reset(session, gateway.identity_policy, token, "Neues-Passwort-2027!", "Neues-Passwort-2027!")
    assert [e.login for e in audited(gateway, "first_password_invited")][-2:] == ["sued-anna", "sued-ben"]

    code, out, _ = cli("user", "import", str(table))  # again: nothing new, nothing sent
    assert code == 0 and "0 angelegt, 2 bereits vorhanden" in out


def test_user_import_with_a_bad_row_writes_nothing(cli, gateway, tmp_path):
    table = tmp_path / "bad.csv"
    table.write_text("login,vermittlernummer,name,email\n"
                     "gut-1,100100,Gut Eins,gut1@makler.example\n"
                     "schlecht,777777,Unbekannt,x@makler.example\n"
                     "ohne-mail,100100,Ohne Mail,\n", encoding="utf-8")
    code, _, err = cli("user", "import", str(table))
    assert code == 1
    assert "Zeile 4" in err and "E-Mail" in err
    table.write_text(table.read_text().replace("ohne-mail,100100,Ohne Mail,", "ohne-mail,100100,O,o@m.example"))
    code, _, err = cli("user", "import", str(table))
    assert code == 1 and "Zeile 3" in err and "777777" in err
    with gateway.db.session() as session:
        assert session.scalar(select(func.count()).where(User.login.in_(["gut-1", "ohne-mail"]))) == 0


def test_user_create_still_prints_a_first_password(cli):
    code, out, _ = cli("user", "create", "--broker", "100100", "--name", "Alte Art")
    assert code == 0 and "Erstpasswort: " in out


@pytest.mark.parametrize("command, kind", [("news", "news"), ("product", "product")])
def test_news_and_products_for_the_dashboard(cli, gateway, command, kind):
    code, out, _ = cli(command, "add", f"Neu im {command}", "--text", "Ein Text.", "--date", "2099-01-01")
    assert code == 0
    entry_id = int(re.search(r"Eintrag (\d+)", out)[1])
    with gateway.db.session() as session:
        assert dashboard.news(session, kind)[0].title == f"Neu im {command}"
    code, out, _ = cli(command, "list")
    assert out.splitlines()[0] == f"{entry_id}\t01.01.2099\tNeu im {command}"
    other = "product" if command == "news" else "news"
    assert cli(other, "remove", str(entry_id))[0] == 1  # an entry of the other block is not found
    assert cli(command, "remove", str(entry_id))[0] == 0
    with gateway.db.session() as session:
        assert all(n.title != f"Neu im {command}" for n in dashboard.news(session, kind))
    assert cli(command, "remove", str(entry_id))[0] == 1


def test_intake_key_is_shown_once_stored_hashed_and_revocable(cli, gateway):
    code, out, _ = cli("intake-key", "create", "dms-cli")
    key = out.strip().splitlines()[-1]
    assert code == 0 and key.startswith("bik_")
    with gateway.db.session() as session:
        assert authenticate_key(session, key)
        assert session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.detail.contains(key))) == 0
    assert cli("intake-key", "create", "dms-cli")[0] == 1
    code, out, _ = cli("intake-key", "list")
    assert "dms-cli\tgültig" in out and key not in out
    assert cli("intake-key", "revoke", "dms-cli")[0] == 0
    with gateway.db.session() as session, pytest.raises(AuthenticationFailed):
        authenticate_key(session, key)
    assert cli("intake-key", "revoke", "dms-cli")[0] == 1


def test_publish_folder_moves_published_and_refused_files(cli, gateway, tmp_path):
    inbox = tmp_path / "eingang"
    inbox.mkdir()
    meta = {"Vermittlernummer": "100100", "Kategorie": "140013000", "Dokumentart": "Rechnung",
            "Titel": "Ordner-Rechnung"}
    (inbox / "gut.pdf").write_bytes(pdf_bytes(4000))
    (inbox / "gut.pdf.json").write_text(json.dumps(meta))
    (inbox / "seite.html").write_bytes(b"<html><body>hallo</body></html>")
    (inbox / "seite.html.json").write_text(json.dumps(meta))
    (inbox / "falsch.pdf").write_bytes(pdf_bytes())
    (inbox / "falsch.pdf.json").write_text(json.dumps({**meta, "Kategorie": "12"}))
    (inbox / "ohne-begleitdatei.pdf").write_bytes(pdf_bytes())
    with gateway.db.session() as session:
        before = session.scalar(select(func.count()).select_from(Shipment))

    code, out, _ = cli("publish-folder", str(inbox))
    assert code == 1  # something was refused
    assert "1 eingestellt, 2 abgelehnt" in out
    assert sorted(p.name for p in (inbox / "done").iterdir()) == ["gut.pdf", "gut.pdf.json"]
    refused = sorted(p.name for p in (inbox / "refused").iterdir())
    assert refused == ["falsch.pdf", "falsch.pdf.json", "falsch.pdf.reason.txt",
                       "seite.html", "seite.html.json", "seite.html.reason.txt"]
    assert "Kategorie" in (inbox / "refused" / "falsch.pdf.reason.txt").read_text()
    assert "PDF" in (inbox / "refused" / "seite.html.reason.txt").read_text()
    assert (inbox / "ohne-begleitdatei.pdf").exists()  # left for its writer to finish
    with gateway.db.session() as session:
        assert session.scalar(select(func.count()).select_from(Shipment)) == before + 1


def test_publish_folder_stores_a_clean_file_name(cli, gateway, tmp_path):
    inbox = tmp_path / "eingang"
    inbox.mkdir()
    name = "Brief\r\nKunde\x01\u202e.pdf"
    (inbox / name).write_bytes(pdf_bytes(2000))
    (inbox / (name + ".json")).write_text(json.dumps({
        "Vermittlernummer": "100100", "Kategorie": "140013000", "Dokumentart": "Rechnung", "Titel": "Brief"}))

    code, out, _ = cli("publish-folder", str(inbox))
    assert code == 0 and "1 eingestellt, 0 abgelehnt" in out
    assert sorted(p.name for p in (inbox / "done").iterdir()) == [name, name + ".json"]
    public_id = out.split("Lieferung ")[1].split()[0]
    with gateway.db.session() as session:
        shipment = session.scalar(select(Shipment).where(Shipment.public_id == public_id))
        assert [d.file_name for d in shipment.documents] == ["Brief Kunde.pdf"]
