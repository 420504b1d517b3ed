"""Reads iCalendar files with python-icalendar and, where installed, libical.

Used by the test suite as two parsers independent of the writer. Prints one
JSON object: {"libical": bool, "files": {path: {...}}}, where each file has the
events as python-icalendar reads them (instants in epoch seconds) and the
errors libical reports (X-LIC-ERROR properties and the iTIP restriction check).
"""

import json
import sys
from datetime import date, datetime, timezone

import icalendar

try:
    import gi

    gi.require_version("ICalGLib", "3.0")
    from gi.repository import ICalGLib
except (ImportError, ValueError):
    ICalGLib = None


def instant(value):
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return {"floating": value.isoformat()}
        return {"epoch": int(value.timestamp())}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    return {"other": str(value)}


def read_python(text):
    calendar = icalendar.Calendar.from_ical(text)
    result = {
        "version": [str(v) for v in calendar.get_all("VERSION")] if hasattr(calendar, "get_all") else None,
        "name": str(calendar.get("X-WR-CALNAME")) if calendar.get("X-WR-CALNAME") is not None else None,
        "method": str(calendar.get("METHOD")) if calendar.get("METHOD") is not None else None,
        "events": [],
        "errors": [],
    }
    for component in calendar.walk():
        errors = getattr(component, "errors", None)
        if errors:
            result["errors"].extend(str(e) for e in errors)
        if component.name != "VEVENT":
            continue
        stamp = component.get("DTSTAMP")
        attendees = component.get("ATTENDEE")
        if attendees is not None and not isinstance(attendees, list):
            attendees = [attendees]
        result["events"].append(
            {
                "uid": str(component.get("UID")),
                "summary": str(component.get("SUMMARY")),
                "description": str(component.get("DESCRIPTION")),
                "sequence": int(component.get("SEQUENCE", 0)),
                "start": instant(component.decoded("DTSTART")),
                "end": instant(component.decoded("DTEND")),
                "dtstamp_utc": stamp is not None and stamp.dt.tzinfo is not None
                and stamp.dt.utcoffset().total_seconds() == 0,
                "status": str(component.get("STATUS")) if component.get("STATUS") else None,
                "transp": str(component.get("TRANSP")) if component.get("TRANSP") else None,
                "organizer": str(component.get("ORGANIZER")) if component.get("ORGANIZER") else None,
                "attendees": [str(a) for a in attendees] if attendees else [],
                "alarms": len([c for c in component.subcomponents if c.name == "VALARM"]),
            }
        )
    return result


def read_libical(text):
    component = ICalGLib.Parser.parse_string(text)
    if component is None:
        return {"errors": ["libical could not parse the file"], "restriction_ok": False}
    restriction_ok = bool(ICalGLib.restriction_check(component))
    errors = []

    def walk(c):
        p = c.get_first_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
        while p:
            errors.append(ICalGLib.Component.kind_to_string(c.isa()) + ": " + p.get_xlicerror())
            p = c.get_next_property(ICalGLib.PropertyKind.XLICERROR_PROPERTY)
        sub = c.get_first_component(ICalGLib.ComponentKind.ANY_COMPONENT)
        while sub:
            walk(sub)
            sub = c.get_next_component(ICalGLib.ComponentKind.ANY_COMPONENT)

    walk(component)
    return {"errors": errors, "restriction_ok": restriction_ok}


def main():
    out = {"libical": ICalGLib is not None, "files": {}}
    for path in sys.argv[1:]:
        with open(path, "rb") as handle:
            raw = handle.read()
        text = raw.decode("utf-8")
        entry = {"python": read_python(raw)}
        if ICalGLib is not None:
            entry["libical"] = read_libical(text)
        out["files"][path] = entry
    json.dump(out, sys.stdout)


main()
