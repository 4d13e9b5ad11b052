"""CRM history exports (HubSpot, Salesforce) and the public CRM datasets as event tables."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pytest

from orglens.errors import InvalidWorkspace
from orglens.io.crm import (
    read_crm_folder,
    read_hubspot,
    read_maven,
    read_olist,
    read_salesforce,
)
from orglens.io.eventlog import import_report

UTC = dt.UTC


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def rows(table: pa.Table, *names: str) -> list[tuple[object, ...]]:
    return [tuple(row[name] for name in names) for row in table.select(list(names)).to_pylist()]


def only_problem(error: pytest.ExceptionInfo[InvalidWorkspace]) -> str:
    assert len(error.value.problems) == 1, error.value.problems
    return str(error.value.problems[0])


# --- HubSpot -----------------------------------------------------------------------------

CONTACTS = (
    "Record ID,First Name,Email,Lifecycle Stage,hubspot_owner_id,hubspot_team_id,"
    "hs_lifecyclestage_lead_date,hs_lifecyclestage_marketingqualifiedlead_date,"
    "hs_v2_date_entered_marketingqualifiedlead,hs_lifecyclestage_salesqualifiedlead_date,"
    "hs_lifecyclestage_customer_date\n"
    "101,Ann,ann@example.com,customer,7001,Inbound,2024-01-02 09:15,2024-01-05 11:00,"
    "2024-01-05 11:00,2024-01-08 16:40,2024-02-01 10:05\n"
    "102,Bob,bob@example.com,marketingqualifiedlead,,,2024-01-03 08:00,2024-01-04 12:00,"
    "2024-01-20 12:00,,\n"
    "103,Cem,cem@example.com,lead,7002,Outbound,2024-01-04 14:30,,,,\n"
)


def test_hubspot_contacts_give_one_event_per_record_and_dated_stage(tmp_path: Path) -> None:
    table = read_hubspot(write(tmp_path, "contacts.csv", CONTACTS))
    assert rows(table, "case_id", "activity", "resource", "group") == [
        ("contact:101", "Lead", "7001", "Inbound"),
        ("contact:101", "Marketing Qualified Lead", "7001", "Inbound"),
        ("contact:101", "Sales Qualified Lead", "7001", "Inbound"),
        ("contact:101", "Customer", "7001", "Inbound"),
        ("contact:102", "Lead", None, None),
        ("contact:102", "Marketing Qualified Lead", None, None),
        ("contact:103", "Lead", "7002", "Outbound"),
    ]
    assert table.column("timestamp")[0].as_py() == dt.datetime(2024, 1, 2, 9, 15, tzinfo=UTC)
    assert table.column("position").to_pylist() == list(range(7))
    assert table.column("Email")[0].as_py() == "ann@example.com"
    assert "hs_lifecyclestage_lead_date" not in table.column_names


def test_hubspot_keeps_the_earlier_of_two_dates_for_a_stage_and_says_so(tmp_path: Path) -> None:
    table = read_hubspot(write(tmp_path, "contacts.csv", CONTACTS))
    bob_mql = table.filter(
        pc.and_(
            pc.equal(table.column("case_id"), "contact:102"),
            pc.equal(table.column("activity"), "Marketing Qualified Lead"),
        )
    )
    assert bob_mql.column("timestamp").to_pylist() == [dt.datetime(2024, 1, 4, 12, tzinfo=UTC)]
    warnings = import_report(table).warnings
    assert any("1 record has different dates" in warning for warning in warnings)
    assert any("current owner only" in warning for warning in warnings)


def test_hubspot_label_exports_and_deals_read_too(tmp_path: Path) -> None:
    contacts = write(
        tmp_path,
        "contacts-labels.csv",
        "Record ID,Contact owner,Became a Lead Date,Became a Marketing Qualified Lead Date,"
        '"Date entered ""Demo Booked (Sales Pipeline)"""\n'
        "5,Ann Owner,2024-03-01 10:00,2024-03-02 10:00,2024-03-03 10:00\n",
    )
    deals = write(
        tmp_path,
        "deals.csv",
        "Record ID,Deal Name,Deal owner,hs_v2_date_entered_appointmentscheduled,"
        "hs_v2_date_entered_closedwon,hs_v2_date_entered_123456\n"
        "5,Big deal,Ann Owner,2024-03-04T10:00:00Z,2024-03-20T10:00:00Z,2024-03-10T10:00:00Z\n",
    )
    table = read_hubspot([contacts, deals])
    assert rows(table, "case_id", "activity") == [
        ("contact:5", "Lead"),
        ("contact:5", "Marketing Qualified Lead"),
        ("contact:5", "Demo Booked"),
        ("deal:5", "Appointment Scheduled"),
        ("deal:5", "Closed Won"),
        ("deal:5", "123456"),
    ]
    assert set(table.column("resource").to_pylist()) == {"Ann Owner"}


def test_hubspot_without_stage_dates_lists_the_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", "Record ID,Email\n1,a@example.com\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_hubspot(path)
    message = only_problem(error)
    assert message.startswith(
        "contacts.csv:1: no stage-date columns (hs_lifecyclestage_<stage>_date"
    )
    assert "the file has: 'Record ID', 'Email'" in message


def test_hubspot_without_record_id_is_refused(tmp_path: Path) -> None:
    path = write(
        tmp_path, "contacts.csv", "Email,hs_lifecyclestage_lead_date\na@x.org,2024-01-01\n"
    )
    with pytest.raises(InvalidWorkspace) as error:
        read_hubspot(path)
    assert "no record id column" in only_problem(error)


def test_hubspot_unparsable_stage_date_names_line_and_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "contacts.csv",
        "Record ID,hs_lifecyclestage_lead_date\n1,2024-01-01\n2,01/13/2024\n",
    )
    with pytest.raises(InvalidWorkspace) as error:
        read_hubspot(path)
    assert only_problem(error).startswith(
        "contacts.csv:3: 'hs_lifecyclestage_lead_date' has '01/13/2024', which is not a date"
    )


def test_hubspot_export_without_any_dated_stage_is_an_empty_log(tmp_path: Path) -> None:
    path = write(tmp_path, "contacts.csv", "Record ID,hs_lifecyclestage_lead_date\n1,\n")
    with pytest.raises(InvalidWorkspace, match="holds no events"):
        read_hubspot(path)


# --- Salesforce --------------------------------------------------------------------------

OPPORTUNITY_HISTORY = (
    "Id,IsDeleted,OpportunityId,StageName,Amount,CloseDate,CreatedById,CreatedDate\n"
    "008A1,false,006OPP1,Prospecting,1000,2024-03-31,005SDR1,2024-01-02T09:00:00.000+0000\n"
    "008A2,false,006OPP1,Prospecting,1500,2024-03-31,005SDR1,2024-01-03T09:00:00.000+0000\n"
    "008A3,false,006OPP1,Qualification,1500,2024-03-31,005AE01,2024-01-10T14:00:00.000+0000\n"
    "008A4,true,006OPP1,Closed Lost,1500,2024-03-31,005AE01,2024-01-11T14:00:00.000+0000\n"
    "008A5,false,006OPP1,Closed Won,1500,2024-03-31,005AE01,2024-02-01T16:30:00.000+0000\n"
)
FIELD_HISTORY = (
    "Id,IsDeleted,OpportunityId,CreatedById,CreatedDate,Field,DataType,OldValue,NewValue\n"
    "017B1,false,006OPP1,005SDR1,2024-01-02T09:00:00.000+0000,created,Text,,\n"
    "017B2,false,006OPP1,005MGR1,2024-01-09T08:00:00.000+0000,Owner,EntityId,"
    "005SDR1,005AE01\n"
    "017B3,false,006OPP1,005MGR1,2024-01-09T08:00:00.000+0000,Owner,Text,"
    "Sam Dev,Alex Exec\n"
    "017B4,false,006OPP1,005AE01,2024-01-10T14:00:00.000+0000,StageName,Picklist,"
    "Prospecting,Qualification\n"
    "017B5,false,006OPP1,005AE01,2024-01-12T10:00:00.000+0000,Amount,Currency,1500,1800\n"
)
LEAD_HISTORY = (
    "Id,LeadId,CreatedById,CreatedDate,Field,OldValue,NewValue\n"
    "017L1,00QLEAD1,005MKT1,2024-01-01T08:00:00Z,created,,\n"
    "017L2,00QLEAD1,005MKT1,2024-01-01T09:00:00Z,Status,Open - Not Contacted,Working\n"
    "017L3,00QLEAD1,005MKT1,2024-01-01T09:30:00Z,Rating,,Hot\n"
    "017L4,00QLEAD1,005MKT1,2024-01-02T10:00:00Z,Owner,005MKT1,005SDR1\n"
    "017L5,00QLEAD1,005SDR1,2024-01-05T15:00:00Z,leadConverted,,\n"
)


def test_opportunity_history_gives_stage_changes_only(tmp_path: Path) -> None:
    table = read_salesforce(write(tmp_path, "OpportunityHistory.csv", OPPORTUNITY_HISTORY))
    assert rows(table, "case_id", "activity", "resource", "object") == [
        ("006OPP1", "Prospecting", "005SDR1", "Opportunity"),
        ("006OPP1", "Qualification", "005AE01", "Opportunity"),
        ("006OPP1", "Closed Won", "005AE01", "Opportunity"),
    ]
    assert table.column("Amount").to_pylist() == ["1000", "1500", "1500"]
    assert "1 row changed an opportunity without changing its stage" in " ".join(
        import_report(table).warnings
    )


def test_an_owner_change_is_a_handoff_to_the_new_owner(tmp_path: Path) -> None:
    table = read_salesforce(write(tmp_path, "OpportunityFieldHistory.csv", FIELD_HISTORY))
    assert rows(table, "activity", "resource", "previous_owner", "new_owner_name") == [
        ("Opportunity created", "005SDR1", None, None),
        ("Owner changed", "005AE01", "005SDR1", "Alex Exec"),
        ("Qualification", "005AE01", None, None),
    ]
    assert table.column("CreatedById").to_pylist()[1] == "005MGR1"
    assert "Amount (1)" in " ".join(import_report(table).warnings)


def test_two_owner_changes_in_the_same_second_are_two_handoffs(tmp_path: Path) -> None:
    # An assignment rule hands the record on and a user hands it again within the second;
    # Salesforce writes each change twice (ids, then names).
    history = (
        "Id,IsDeleted,OpportunityId,CreatedById,CreatedDate,Field,DataType,OldValue,NewValue\n"
        "017C1,false,006OPP2,005SDR1,2024-01-02T09:00:00.000+0000,created,Text,,\n"
        "017C2,false,006OPP2,005MGR1,2024-01-09T08:00:00.000+0000,Owner,EntityId,"
        "005SDR1,005AE01\n"
        "017C3,false,006OPP2,005MGR1,2024-01-09T08:00:00.000+0000,Owner,Text,"
        "Sam Dev,Alex Exec\n"
        "017C4,false,006OPP2,005MGR1,2024-01-09T08:00:00.000+0000,Owner,EntityId,"
        "005AE01,005AE02\n"
        "017C5,false,006OPP2,005MGR1,2024-01-09T08:00:00.000+0000,Owner,Text,"
        "Alex Exec,Kim Close\n"
    )
    table = read_salesforce(write(tmp_path, "OpportunityFieldHistory.csv", history))
    assert rows(table, "activity", "resource", "previous_owner", "new_owner_name") == [
        ("Opportunity created", "005SDR1", None, None),
        ("Owner changed", "005AE01", "005SDR1", "Alex Exec"),
        ("Owner changed", "005AE02", "005AE01", "Kim Close"),
    ]


def test_owner_changes_exported_with_names_only_are_each_a_handoff(tmp_path: Path) -> None:
    history = (
        "Id,OpportunityId,CreatedById,CreatedDate,Field,OldValue,NewValue\n"
        "017D1,006OPP3,005MGR1,2024-01-09T08:00:00.000+0000,Owner,Sam Dev,Alex Exec\n"
        "017D2,006OPP3,005MGR1,2024-01-09T08:00:00.000+0000,Owner,Alex Exec,Kim Close\n"
    )
    table = read_salesforce(write(tmp_path, "OpportunityFieldHistory.csv", history))
    assert rows(table, "activity", "resource", "previous_owner") == [
        ("Owner changed", "Alex Exec", "Sam Dev"),
        ("Owner changed", "Kim Close", "Alex Exec"),
    ]


def test_lead_history_gives_creation_status_handoff_and_conversion(tmp_path: Path) -> None:
    table = read_salesforce(write(tmp_path, "LeadHistory.csv", LEAD_HISTORY))
    assert rows(table, "case_id", "activity", "resource") == [
        ("00QLEAD1", "Lead created", "005MKT1"),
        ("00QLEAD1", "Working", "005MKT1"),
        ("00QLEAD1", "Owner changed", "005SDR1"),
        ("00QLEAD1", "Lead converted", "005SDR1"),
    ]
    assert table.column("timestamp")[0].as_py() == dt.datetime(2024, 1, 1, 8, tzinfo=UTC)


def test_a_stage_change_in_two_exports_is_kept_once(tmp_path: Path) -> None:
    table = read_salesforce(
        [
            write(tmp_path, "OpportunityHistory.csv", OPPORTUNITY_HISTORY),
            write(tmp_path, "OpportunityFieldHistory.csv", FIELD_HISTORY),
        ]
    )
    assert rows(table, "activity") == [
        ("Prospecting",),
        ("Qualification",),
        ("Closed Won",),
        ("Opportunity created",),
        ("Owner changed",),
    ]
    assert "1 stage change appeared in two exports" in " ".join(import_report(table).warnings)


def test_a_file_that_is_no_salesforce_history_is_refused_with_its_columns(tmp_path: Path) -> None:
    path = write(tmp_path, "Opportunity.csv", "Id,Name,StageName\n006A,Big,Prospecting\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_salesforce(path)
    message = only_problem(error)
    assert message.startswith("Opportunity.csv:1: not a Salesforce history export")
    assert "the file has: 'Id', 'Name', 'StageName'" in message


def test_salesforce_unparsable_created_date_names_line_and_value(tmp_path: Path) -> None:
    text = LEAD_HISTORY.replace("2024-01-01T09:00:00Z", "gestern")
    with pytest.raises(InvalidWorkspace) as error:
        read_salesforce(write(tmp_path, "LeadHistory.csv", text))
    assert only_problem(error).startswith("LeadHistory.csv:3: 'CreatedDate' has 'gestern'")


def test_salesforce_row_without_created_date_names_its_line(tmp_path: Path) -> None:
    # It used to crash sorting None against a date (TypeError) instead of saying which row.
    text = LEAD_HISTORY.replace("2024-01-01T09:00:00Z", "")
    with pytest.raises(InvalidWorkspace) as error:
        read_salesforce(write(tmp_path, "LeadHistory.csv", text))
    assert only_problem(error).startswith("LeadHistory.csv:3: 'CreatedDate' is empty")


def test_olist_deal_without_won_date_names_its_line(tmp_path: Path) -> None:
    # It used to crash comparing None with the first contact (TypeError).
    write(
        tmp_path,
        "olist_marketing_qualified_leads_dataset.csv",
        "mql_id,first_contact_date,landing_page_id,origin\nm1,2018-02-01,lp1,social\n",
    )
    write(
        tmp_path,
        "olist_closed_deals_dataset.csv",
        "mql_id,seller_id,sdr_id,sr_id,won_date,declared_monthly_revenue\nm1,s1,sdr1,sr1,,0.0\n",
    )
    with pytest.raises(InvalidWorkspace) as error:
        read_olist(tmp_path)
    assert only_problem(error).startswith("olist_closed_deals_dataset.csv:2: 'won_date' is empty")


# --- public datasets, tiny copies --------------------------------------------------------


def test_olist_gives_first_contact_and_won_events_and_reports_a_deal_won_too_early(
    tmp_path: Path,
) -> None:
    write(
        tmp_path,
        "olist_marketing_qualified_leads_dataset.csv",
        "mql_id,first_contact_date,landing_page_id,origin\n"
        "m1,2018-02-01,lp1,social\nm2,2018-03-10,lp2,\nm3,2018-03-11,lp1,paid_search\n",
    )
    write(
        tmp_path,
        "olist_closed_deals_dataset.csv",
        "mql_id,seller_id,sdr_id,sr_id,won_date,declared_monthly_revenue\n"
        "m1,s1,sdr1,sr1,2018-02-26 19:58:54,0.0\nm2,s2,sdr2,sr2,2018-03-09 10:00:00,5000.0\n",
    )
    table = read_olist(tmp_path)
    assert rows(table, "case_id", "activity", "resource", "group", "sdr_id") == [
        ("m1", "MQL first contact", None, "marketing", None),
        ("m2", "MQL first contact", None, "marketing", None),
        ("m3", "MQL first contact", None, "marketing", None),
        ("m1", "Deal won", "sr1", "sales", "sdr1"),
        ("m2", "Deal won", "sr2", "sales", "sdr2"),
    ]
    report = import_report(table)
    assert report.cases_out_of_order == 1
    assert any("1 deal was won before the lead's first contact" in w for w in report.warnings)
    assert table.column("declared_monthly_revenue").to_pylist()[3:] == [0.0, 5000.0]


def test_maven_gives_engage_and_close_events_with_office_as_group(tmp_path: Path) -> None:
    write(
        tmp_path,
        "sales_pipeline.csv",
        "opportunity_id,sales_agent,product,account,deal_stage,engage_date,close_date,close_value\n"
        "o1,Ann,GTXPro,Acme,Won,2017-01-02,2017-02-01,4821\n"
        "o2,Bob,MG Special,,Engaging,2017-03-01,,\n"
        "o3,Ann,GTX Basic,,Prospecting,,,\n",
    )
    write(
        tmp_path,
        "sales_teams.csv",
        "sales_agent,manager,regional_office\nAnn,Mia,East\nBob,Mia,East\n",
    )
    write(
        tmp_path,
        "products.csv",
        "product,series,sales_price\nGTX Pro,GTX,4821\nGTX Basic,GTX,550\n",
    )
    table = read_maven(tmp_path)
    assert rows(table, "case_id", "activity", "resource", "group", "manager") == [
        ("o1", "Engaging", "Ann", "East", "Mia"),
        ("o1", "Won", "Ann", "East", "Mia"),
        ("o2", "Engaging", "Bob", "East", "Mia"),
    ]
    warnings = " ".join(import_report(table).warnings)
    assert "1 opportunity has no engage date and so no events: 'Prospecting' (1)" in warnings
    assert (
        "product 'GTXPro' on 1 opportunity is not in products.csv (products.csv has 'GTX Pro')"
        in warnings
    )
    assert "product 'MG Special'" in warnings


def test_a_lead_table_without_dates_is_skipped_with_the_reason(tmp_path: Path) -> None:
    folder = tmp_path / "x_education_leads"
    folder.mkdir()
    write(folder, "Leads.csv", "Prospect ID,Lead Number,Converted,Tags\np1,1,0,Ringing\n")
    with pytest.raises(InvalidWorkspace) as error:
        read_crm_folder(folder)
    assert only_problem(error).startswith(
        "x_education_leads/Leads.csv: one row per lead with its outcome"
    )


@pytest.mark.realdata
def test_every_crm_dataset_imports_or_says_why_not(shared_data: Path) -> None:
    found = read_crm_folder(shared_data / "crm")
    olist = import_report(found.logs["olist_marketing_funnel"])
    assert (olist.events, olist.cases, olist.resources) == (8000 + 842, 8000, 22)
    assert (olist.events_without_resource, olist.cases_out_of_order) == (8000, 1)
    maven = import_report(found.logs["maven_crm_sales_opportunities"])
    assert (maven.events, maven.cases, maven.resources, maven.groups) == (
        8300 + 6711,
        8300,
        30,
        3,
    )
    assert maven.events_at_midnight == maven.events
    assert any("'Prospecting' (500)" in warning for warning in maven.warnings)
    assert any("'GTXPro' on 1,480" in warning for warning in maven.warnings)
    assert list(found.skipped) == ["x_education_leads/Leads.csv"]
    assert "no date or time column" in found.skipped["x_education_leads/Leads.csv"]
    assert sorted(found.to_dict()["logs"]) == sorted(found.logs)


@pytest.mark.realdata
def test_maven_win_rate_and_engage_to_close_days_match_the_sources_note(shared_data: Path) -> None:
    table = read_maven(shared_data / "crm" / "maven_crm_sales_opportunities")
    activities = table.column("activity").to_pylist()
    won, lost = activities.count("Won"), activities.count("Lost")
    assert round(won / (won + lost), 3) == 0.632
    engaged: dict[str, dt.datetime] = {}
    days = []
    for case, activity, moment in rows(table, "case_id", "activity", "timestamp"):
        if activity == "Engaging":
            engaged[str(case)] = moment  # type: ignore[assignment]
        else:
            days.append((moment - engaged[str(case)]).days)  # type: ignore[operator]
    days.sort()
    assert (days[0], days[len(days) // 2], days[-1]) == (1, 45, 138)
