#!/usr/bin/env python3
"""Verifies an audit export (JSON Lines from GET /api/v1/audit/export) offline, as described in docs/audit.md.

Usage: verify-audit-export.py EXPORT.jsonl [--expect-last-hash HEX]
Exit code 0 and "intact" when every entry checks out; 1 and the first broken entry otherwise.
Needs only the Python 3 standard library.
"""
import hashlib
import json
import sys

GENESIS = "0" * 64


def canonical(value):
    # RFC 8785 for the values the export contains (strings, integers, null): sorted keys, no whitespace,
    # non-ASCII kept as is, control characters escaped (Python writes the same escapes as RFC 8785)
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def verify(lines, expect_last_hash=None):
    previous_hash = None
    previous_seq = None
    tombstones = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = json.loads(line)
        envelope = entry["envelope"]
        seq = entry["seq"]
        if envelope["seq"] != seq:
            return seq, "the envelope's seq differs from the line's"
        if previous_seq is None:
            # an export of a time range starts mid-chain: its first link is taken as given
            if seq == 1 and entry["prevHash"] != GENESIS:
                return seq, "the first entry of a chain must follow the genesis hash"
        elif seq != previous_seq + 1:
            return previous_seq + 1, "entry %d is missing (the next exported entry is %d)" % (previous_seq + 1, seq)
        elif entry["prevHash"] != previous_hash:
            return seq, "previous hash is not the hash of entry %d" % previous_seq
        payload = entry["payload"]
        if payload is not None:
            if sha256_hex(payload) != envelope["payloadSha256"]:
                return seq, "payload does not match its recorded SHA-256"
        elif entry.get("purgedAt") is None:
            return seq, "payload is missing although no retention purge removed it"
        else:
            tombstones.append(seq)
        if sha256_hex(entry["prevHash"] + canonical(envelope)) != entry["entryHash"]:
            return seq, "entry hash does not match the entry's contents"
        if envelope["kind"] == "RETENTION_PURGE" and payload is not None:
            purged_through = json.loads(payload)["purgedThroughSeq"]
            tombstones = [t for t in tombstones if t > purged_through]
        previous_seq, previous_hash = seq, entry["entryHash"]
    if tombstones:
        return tombstones[0], "payload removed without a retention purge record covering it"
    if expect_last_hash is not None and previous_hash != expect_last_hash:
        return previous_seq, "the last entry's hash is not the expected %s" % expect_last_hash
    return None, previous_hash


def main(argv):
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    expect = argv[argv.index("--expect-last-hash") + 1] if "--expect-last-hash" in argv else None
    with open(argv[1], encoding="utf-8") as export:
        broken, detail = verify(export, expect)
    if broken is None:
        print("intact; last hash %s" % detail)
        return 0
    print("broken at entry %d: %s" % (broken, detail))
    return 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
