"""Write a closed crisis as one archive: ``manage.py export_crisis <crisis id> [--output PATH]``.

Exit status: 0 written and intact; 1 nothing written (unknown or active crisis, bad path);
2 written, but the log's hash chain is broken or an analysis version no longer matches its
fingerprint. A tampered log must still be archivable (the municipality keeps what there is, and
the break is itself evidence), but nobody may file it believing it was verified: the manifest
and README say where it breaks, and the exit status makes a script notice.
"""

import os
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from crisisroom.models import Crisis
from meetings.archive import archive_filename, archive_record_export, write_archive

BROKEN_EXIT = 2


class Command(BaseCommand):
    help = (
        "Write a closed crisis as one ZIP archive (every entry, decision, assignment, analysis "
        "version and audit event as JSON, the PDFs, a manifest with checksums) for the archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("crisis", type=int, help="crisis id")
        parser.add_argument(
            "--output",
            "-o",
            help="file to write, or a directory for the default name "
            "(default: crisis-<id>-<slug>-<date>.zip in the current directory)",
        )
        parser.add_argument(
            "--allow-active",
            action="store_true",
            help="export a crisis that is not closed yet; the archive says it is a snapshot",
        )

    def handle(self, *args, crisis, output, allow_active, **options):
        crisis_id = crisis
        crisis = Crisis.objects.select_related("organisation").filter(pk=crisis_id).first()
        if crisis is None:
            raise CommandError(f"There is no crisis {crisis_id}.")
        if crisis.is_active and not allow_active:
            raise CommandError(
                f"Crisis {crisis.pk} ({crisis.title}) is still active: an archive is made of a "
                "closed crisis. Close it first, or pass --allow-active for a snapshot (the "
                "archive then says it is one)."
            )
        path = Path(output) if output else Path.cwd()
        if path.is_dir():
            path = path / archive_filename(crisis)
        if path.exists():
            raise CommandError(f"{path} exists already: remove it or choose another --output.")
        if not path.parent.is_dir():
            raise CommandError(f"There is no directory {path.parent}.")

        # Into a temporary file next to the target, then renamed: never half an archive.
        handle, partial = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
        try:
            with os.fdopen(handle, "wb") as fileobj:
                summary = write_archive(crisis, fileobj, allow_active=allow_active)
                fileobj.flush()
                os.fsync(fileobj.fileno())
            os.chmod(partial, 0o644)
            os.replace(partial, path)
        except BaseException:
            Path(partial).unlink(missing_ok=True)
            raise
        # An export from the command line is in the audit trail too, by "the system".
        archive_record_export(crisis=crisis, summary=summary, actor=None, via="export_crisis")

        counts = summary.counts
        self.stdout.write(f"Wrote {path.resolve()}")
        self.stdout.write(f"  {summary.size:,} bytes, SHA-256 {summary.sha256}")
        self.stdout.write(
            f"  Crisis {crisis.pk} ({crisis.title}), {crisis.organisation.name}"
            + (", EXERCISE" if crisis.is_exercise else "")
        )
        self.stdout.write(
            f"  {counts['meetings']} meetings, {counts['entries']} log entries "
            f"({counts['decisions']} decisions, {counts['assignments']} assignments, "
            f"{counts['corrections']} corrections), {counts['analysis_versions']} analysis "
            f"versions, {counts['audit_events']} audit events, {counts['analysis_reads']} "
            f"analysis reads, {counts['memberships']} memberships"
        )
        if summary.chain.intact:
            head = f", head {summary.chain_head}" if summary.chain_head else ""
            self.stdout.write(f"  Log chain intact: {counts['entries']} entries{head}")
        else:
            self.stdout.write(
                f"  Log chain BROKEN at entry #{summary.chain.broken_seq}: {summary.chain.reason}"
            )
        if summary.snapshot:
            self.stdout.write(
                self.style.WARNING(
                    "  Snapshot of an ACTIVE crisis: not its final state; export again once it "
                    "is closed."
                )
            )
        if summary.problems:
            for problem in summary.problems:
                self.stderr.write(self.style.ERROR(f"WARNING: {problem}."))
            raise CommandError(
                "The archive was written and says so in manifest.json and README.txt, but its "
                "content cannot all be verified: "
                + "; ".join(summary.problems)
                + ". Report this to whoever keeps the crisis's records.",
                returncode=BROKEN_EXIT,
            )
