"""The rebuild's reader of the notification log gives the envelopes the records application
gives (the live source's and the relay's), though it builds most of them from the stored JSON
without the domain objects in between: over a value chain of every kind of batch event, with
organisations' certificates (declared on a class two aggregate types share) and joinings (an
event class with an upcaster)."""

from __future__ import annotations

from datetime import date

from shared.readmodels.notification_log import LogReader
from shared.records import commands as c
from shared.records.application import Records
from tests.builders import STAFF
from tests.integration.readmodels.readmodel_chain import Chain


def _certified_and_expired(records: Records, chain: Chain) -> None:
    records.execute(
        STAFF,
        [
            c.GrantCertification(
                organisation_id=chain.cooperative_a,
                scheme="VietGAP",
                certificate="VG-LOG-1",
                valid_from=date(2025, 1, 1),
                valid_until=date(2027, 1, 1),
            ),
            c.ExpireCertification(
                organisation_id=chain.cooperative_a,
                certificate="VG-LOG-1",
                on=date(2025, 6, 1),
                reason="thu hồi",
            ),
        ],
    )


def test_the_rebuild_s_reader_gives_the_records_application_s_envelopes(
    records: Records, chain: Chain
) -> None:
    _certified_and_expired(records, chain)
    stored = records.recorder.select_notifications(0, 100_000, inclusive_of_start=False)

    read = LogReader(records).envelopes(stored)

    assert read == [records.envelope(n) for n in stored]
    assert {e.type for e in read} >= {
        "Batch.Harvested",
        "Batch.Shipped",
        "Batch.Received",
        "Batch.Labelled",
        "Cooperative.CertificationGranted",
        "ValueChain.ParticipantJoined",
    }


def test_an_organisation_s_certificate_read_without_its_registration_names_its_kind(
    records: Records, chain: Chain
) -> None:
    _certified_and_expired(records, chain)
    stored = records.recorder.select_notifications(0, 100_000, inclusive_of_start=False)
    certificates = [n for n in stored if "Certification" in n.topic]

    read = LogReader(records).envelopes(certificates)

    assert [e.type for e in read][-2:] == [
        "Cooperative.CertificationGranted",
        "Cooperative.CertificationExpired",
    ]
    assert read == [records.envelope(n) for n in certificates]
