"""Every command and option of ``leadtime``, declared once.

This table is the one declaration of the command line. Two front ends are generated from it:
:mod:`leadtime.cli.reader`, which reads a command line in a few microseconds and runs the
command without loading any framework, and :mod:`leadtime.cli.group`, the Typer application
that prints help, completes in the shell and explains usage errors. The reader takes only
the command lines it reads exactly as Click would (a test compares both on every command
line of the README and of the bad-input sweep); anything else — ``--help``, an unknown
option, a missing argument, a value out of its range — goes to Typer.

Importing this module costs nothing but a few small objects: no framework, no I/O.
"""

from __future__ import annotations

Kind = str  # "text", "flag", "int", "float", "choice" or "path"


class Option:
    """An option: ``flags`` (the long one first), where its value goes (``dest``), its kind
    and, for numbers, the inclusive range ``low``..``high``. (Plain classes rather than
    dataclasses: this module is read on every run, and the dataclasses module is not.)"""

    __slots__ = ("choices", "default", "dest", "envvar", "flags", "help", "hidden", "high",
                 "kind", "low", "many", "metavar")  # fmt: skip

    def __init__(
        self,
        flags: tuple[str, ...],
        dest: str,
        kind: Kind = "text",
        *,
        help: str = "",
        metavar: str | None = None,
        many: bool = False,
        choices: tuple[str, ...] = (),
        default: object = None,
        low: float | None = None,
        high: float | None = None,
        hidden: bool = False,
        envvar: str | None = None,
    ) -> None:
        self.flags, self.dest, self.kind, self.help = flags, dest, kind, help
        self.metavar, self.many, self.choices, self.default = metavar, many, choices, default
        self.low, self.high, self.hidden, self.envvar = low, high, hidden, envvar

    def initial(self) -> object:
        """The value when the option is not given."""
        if self.many:
            return []
        if self.kind == "flag":
            return False
        return self.default

    def hide(self) -> Option:
        """The same option, left out of the help."""
        return Option(
            self.flags, self.dest, self.kind, help=self.help, metavar=self.metavar,
            many=self.many, choices=self.choices, default=self.default, low=self.low,
            high=self.high, hidden=True, envvar=self.envvar,
        )  # fmt: skip


class Argument:
    """A positional argument; ``many`` takes every remaining one (at least one if required)."""

    __slots__ = ("dest", "help", "kind", "many", "metavar", "required")

    def __init__(
        self,
        dest: str,
        metavar: str,
        help: str = "",
        *,
        required: bool = True,
        many: bool = False,
        kind: Kind = "text",
    ) -> None:
        self.dest, self.metavar, self.help = dest, metavar, help
        self.required, self.many, self.kind = required, many, kind


class Command:
    """A command: its words (``("rules", "show")``), the function that runs it
    (``module:function``, called with the workspace and the values by ``dest``), its help."""

    __slots__ = ("arguments", "help", "options", "panel", "refresh", "run", "words")

    def __init__(
        self,
        words: tuple[str, ...],
        run: str,
        help: str,
        *,
        arguments: tuple[Argument, ...] = (),
        options: tuple[Option, ...] = (),
        panel: str = "",
        refresh: bool = True,  # bring stored classifications up to date with the rules first
    ) -> None:
        self.words, self.run, self.help = words, run, help
        self.arguments, self.options, self.panel, self.refresh = arguments, options, panel, refresh

    @property
    def name(self) -> str:
        return " ".join(self.words)


class Group:
    """A group of subcommands (``rules``, ``config``, ``calendars``); ``default`` runs when
    no subcommand is given, and its options are the group's."""

    __slots__ = ("default", "help", "panel", "word")

    def __init__(self, word: str, help: str, panel: str, default: Command | None = None):
        self.word, self.help, self.panel, self.default = word, help, panel, default


class Invocation:
    """A command line as read: the command, its values by ``dest``, the global options."""

    __slots__ = ("command", "globals", "values")

    def __init__(
        self, command: Command, values: dict[str, object], globals: dict[str, object]
    ) -> None:
        self.command, self.values, self.globals = command, values, globals


# --------------------------------------------------------------------------- shared options

DEBUG = Option(("--debug",), "debug", "flag", help="Show tracebacks of errors.")
GLOBAL = (
    Option(("--db",), "db", help="Database URL (default: leadtime.db in the data dir).",
           metavar="URL", envvar="LEADTIME_DATABASE_URL"),
    Option(("--rules",), "rules", "path", help="Use this rules file for one run.", metavar="FILE"),
    Option(("--now",), "now", help="Fix 'now' (ISO 8601).", hidden=True),
    DEBUG,
)  # fmt: skip

WEEK = Option(("--week", "-w"), "week", help="One ISO week: 2026-W47, 'last week'.",
              metavar="WEEK")  # fmt: skip
FROM = Option(("--from",), "from_", help="First day (with --to).", metavar="DATE")
TO = Option(("--to",), "to", help="Last day, inclusive.", metavar="DATE")
TZ = Option(("--tz",), "tz", help="Time zone for weeks (IANA name).", metavar="ZONE")
TAG = Option(("--tag", "-t"), "tag", help="A tag; repeat for more.", metavar="TAG", many=True)
NOTE = Option(("--note", "-n"), "note", help="A longer note.", metavar="TEXT", default="")
AS = Option(("--as",), "as_", help="Classify it yourself (beats rules).",
            metavar="CATEGORY[:ACTIVITY]")  # fmt: skip
FORCE = Option(("--force",), "force", "flag", help="Replace the file if it exists.")
OUTPUT = Option(("--output", "-o"), "output", "path", help="Write to FILE instead of printing.",
                metavar="FILE")  # fmt: skip
YES = Option(("--yes", "-y"), "yes", "flag", help="Do not ask.")
CALENDAR = Option(("--calendar",), "calendar", help="Only entries of this calendar.",
                  metavar="NAME")  # fmt: skip
ORIGINS = ("log", "timer", "ics", "git", "watson", "timewarrior")
SOURCE = Option(("--source", "-s"), "source", "choice", help="Only entries of this origin.",
                choices=ORIGINS)  # fmt: skip
TARGET = Option(("--target",), "target", "float", help="Leadership target in % (config: 70).",
                metavar="PCT")  # fmt: skip
TOLERANCE = Option(("--tolerance",), "tolerance", "float",
                   help="Allowed distance in points (config: 5).", metavar="POINTS")  # fmt: skip


def weeks(
    help: str = "The last N complete weeks (and the current one).",
    low: int = 1,
    high: int | None = None,
) -> Option:
    return Option(("--weeks",), "weeks", "int", help=help, metavar="N", low=low, high=high)


def formats(*names: str, flags: tuple[str, ...] = ("--format", "-f")) -> Option:
    listed = ", ".join(names[:-1]) + f" or {names[-1]}"
    return Option(flags, "format", "choice", help=f"{listed}.", choices=names, default=names[0])


PERIOD = (WEEK, weeks(), FROM, TO)

# --------------------------------------------------------------------------- the commands

LOG = Command(
    ("log",), "leadtime.cli.daily:log",
    """Log work you did; it ends now unless --at or --from/--to say otherwise.

    Examples:

      leadtime log "Reviewed the auth RFC" 45m

      leadtime log "Fixed the login bug" 1h30 --at "yesterday 14:00"
    """,
    arguments=(
        Argument("title", "TITLE", "What you did."),
        Argument("duration", "DURATION", "How long: 45m, 1h30, 1.5h, 90.", required=False),
    ),
    options=(
        Option(("--at",), "at", help="When it started.", metavar="WHEN"),
        Option(("--from",), "from_", help="Start (with --to).", metavar="WHEN"),
        Option(("--to",), "to", help="End (with --from).", metavar="WHEN"),
        TAG, NOTE, AS,
        Option(("--yes", "-y"), "yes", "flag", help="Log an entry over 8 hours without asking."),
    ),
    panel="Log", refresh=False,
)  # fmt: skip

START = Command(
    ("start",), "leadtime.cli.daily:start",
    """Start a timer; 'leadtime stop' turns it into an entry.

    Examples:

      leadtime start "Spike: new parser" --tag parser

      leadtime start "Incident review" --at 9:30
    """,
    arguments=(Argument("title", "TITLE", "What you are starting."),),
    options=(Option(("--at",), "at", help="It started earlier.", metavar="WHEN"), TAG, NOTE, AS),
    panel="Log", refresh=False,
)  # fmt: skip

STOP = Command(
    ("stop",), "leadtime.cli.daily:stop",
    """Stop the running timer and log it as an entry.

    Examples:

      leadtime stop

      leadtime stop --at 17:30      (you forgot to stop it)
    """,
    options=(
        Option(("--at",), "at", help="It ended earlier.", metavar="WHEN"),
        Option(("--yes", "-y"), "yes", "flag", help="Log an entry over 8 hours without asking."),
    ),
    panel="Log", refresh=False,
)  # fmt: skip

STATUS = Command(
    ("status",), "leadtime.cli.daily:status",
    """Show the running timer, if any (fast enough for a shell prompt).

    Examples:

      leadtime status

      leadtime status --format json      (null when no timer runs)
    """,
    options=(formats("text", "json"),),
    panel="Log", refresh=False,
)  # fmt: skip

CANCEL = Command(
    ("cancel",), "leadtime.cli.daily:cancel",
    """Drop the running timer without logging it.

    Example:

      leadtime cancel
    """,
    panel="Log", refresh=False,
)  # fmt: skip

LS = Command(
    ("ls",), "leadtime.cli.entries:ls",
    """List entries (default: the current week) by day, with ids, tags, categories and
    each day's total as the report counts it. On a terminal the table goes through $PAGER.

    Examples:

      leadtime ls

      leadtime ls --week "last week" --category hands-on --format csv
    """,
    options=(
        *PERIOD,
        Option(("--category", "-c"), "category", "choice", help="Only this category.",
               choices=("leadership", "hands-on", "other", "unclassified")),
        SOURCE,
        Option(("--calendar",), "calendar", help="Only this calendar."),
        Option(("--tag", "-t"), "tag", help="Only this tag.", metavar="TAG"),
        Option(("--excluded",), "excluded", "flag",
               help="Show the calendar events that do not count, and why."),
        TZ,
        formats("table", "json", "csv"),
        Option(("--no-pager",), "no_pager", "flag", help="Print, even on a terminal."),
    ),
    panel="Entries",
)  # fmt: skip

DAY = Command(
    ("day",), "leadtime.cli.entries:day",
    """One day: its entries in time order, the gaps in your working hours, double-booked
    time, and the day's split, counted as the report counts it.

    Examples:

      leadtime day

      leadtime day yesterday --format json

      leadtime day mon --format html -o monday.html
    """,
    arguments=(
        Argument("when", "[DATE]", "2026-11-20, yesterday, mon (default: today).",
                 required=False),
    ),
    options=(TZ, formats("table", "json", "html"), OUTPUT, FORCE),
    panel="Entries",
)  # fmt: skip

EDIT = Command(
    ("edit",), "leadtime.cli.entries:edit",
    """Change a logged entry's title, times, tags or note; without options, in $EDITOR.

    Examples:

      leadtime edit 97gr

      leadtime edit 97gr --title "Reviewed the auth RFC (v2)"

      leadtime edit 97gr --start 14:00 --duration 1h
    """,
    arguments=(Argument("entry_id", "ID"),),
    options=(
        Option(("--title",), "title", metavar="TEXT"),
        Option(("--start", "--from"), "start", metavar="WHEN"),
        Option(("--end", "--to"), "end", metavar="WHEN"),
        Option(("--duration",), "duration", metavar="DURATION"),
        Option(("--tag", "-t"), "tag", help="Replaces the tags.", metavar="TAG", many=True),
        Option(("--note", "-n"), "note", metavar="TEXT"),
    ),
    panel="Entries",
)  # fmt: skip

RM = Command(
    ("rm",), "leadtime.cli.entries:rm",
    """Remove entries; asks first unless --yes.

    Example:

      leadtime rm 97gr 3k2m --yes
    """,
    arguments=(Argument("entry_ids", "ID...", many=True),),
    options=(YES,),
    panel="Entries",
)  # fmt: skip

CLASSIFY = Command(
    ("classify",), "leadtime.cli.entries:classify",
    """Classify an entry yourself; your choice beats every rule and survives re-imports.
    The learned tier learns from it: titles like this one are then guessed alike.

    Examples:

      leadtime classify 97gr leadership:review

      leadtime classify 97gr leadership:1:1 --series

      leadtime classify 97gr --clear
    """,
    arguments=(
        Argument("entry_id", "ID"),
        Argument("category", "CATEGORY[:ACTIVITY]", required=False),
    ),
    options=(
        Option(("--clear",), "clear", "flag", help="Forget the manual choice; rules decide."),
        Option(("--series",), "series", "flag",
               help="The whole recurring series (an imported event), or every entry with the "
               "same title."),
    ),
    panel="Entries",
)  # fmt: skip

IMPORT = Command(
    ("import",), "leadtime.cli.importing:import_",
    """Import calendars, git activity, or a Watson or Timewarrior history; with no SOURCE,
    re-import every remembered one.

    Examples:

      leadtime import ~/Downloads/work.ics --me dana@example.com

      leadtime import git ~/src/api ~/src/web

      leadtime import            (refresh everything remembered)
    """,
    arguments=(
        Argument("sources", "[SOURCE]...",
                 "Calendar files, - for stdin, http(s):// / webcal:// URLs; or git PATH..., "
                 "watson [DIR], timewarrior [FILE|-].", required=False, many=True),
    ),
    options=(
        Option(("--calendar",), "calendar", help="Calendar name to store under.",
               metavar="NAME"),
        Option(("--me",), "me", help="Your address (repeatable).", metavar="EMAIL", many=True),
        Option(("--since",), "since", help="Skip earlier events.", metavar="DATE"),
        Option(("--until",), "until", help="Expand up to this day (default: horizon).",
               metavar="DATE"),
        Option(("--strict",), "strict", "flag", help="Any problem: exit 4, write nothing."),
        Option(("--dry-run",), "dry_run", "flag",
               help="Show what would change; write nothing."),
        Option(("--author",), "author", help="git: whose commits (default: your 'me').",
               metavar="EMAIL", many=True),
    ),
    panel="Calendars", refresh=False,
)  # fmt: skip

CALENDARS = Command(
    ("calendars",), "leadtime.cli.importing:calendars",
    """List remembered calendars and sources with their address, last import and counts.

    Examples:

      leadtime calendars

      leadtime calendars rm old-team --yes
    """,
    options=(formats("table", "json"),),
    panel="Calendars", refresh=False,
)  # fmt: skip

CALENDARS_RM = Command(
    ("calendars", "rm"), "leadtime.cli.importing:calendars_rm",
    """Forget a calendar (or git repository, Watson, Timewarrior) and remove its entries.

    Example:

      leadtime calendars rm git:old-prototype --yes
    """,
    arguments=(Argument("name", "NAME", "A remembered calendar or source."),),
    options=(YES,),
    refresh=False,
)  # fmt: skip

CALENDARS_RENAME = Command(
    ("calendars", "rename"), "leadtime.cli.importing:calendars_rename",
    """Rename a remembered calendar; its entries, ids and your classifications stay.

    Example:

      leadtime calendars rename work.ics work
    """,
    arguments=(Argument("old", "OLD"), Argument("new", "NEW")),
    refresh=False,
)  # fmt: skip

REPORT = Command(
    ("report",), "leadtime.cli.reporting:report",
    """The weekly split: by default the last 4 complete weeks plus the current one.

    Examples:

      leadtime report

      leadtime report --weeks 12 --format json

      leadtime report --weeks 12 --chart

      leadtime report --weeks 8 --format html -o report.html --private
    """,
    options=(
        *PERIOD, TZ, CALENDAR, SOURCE,
        Option(("--by",), "by", help="Break each week down by activity, tag or source.",
               metavar="activity|tag|source"),
        formats("table", "json", "csv", "markdown", "html"),
        OUTPUT,
        Option(("--private",), "private", "flag",
               help="HTML without titles: categories and activities only."),
        Option(("--chart",), "chart", "flag",
               help="Draw the share per week with the target band instead."),
        Option(("--svg",), "svg", "path", help="Also save the table as SVG.", metavar="FILE"),
        FORCE,
    ),
    panel="Reports", refresh=False,
)  # fmt: skip

CHECK = Command(
    ("check",), "leadtime.cli.reporting:check",
    """Gate on the 70/30 split: judges the last complete week by default.

    With --ahead it judges next week's plan instead (see 'leadtime plan'): off track exits 1,
    at risk passes with a warning, no calendar or no working time exits 5.

    Exit codes: 0 on target, 1 off target (a breach), 2 usage error, 3 bad configuration or
    rules file, 4 bad input or storage error, 5 not enough data to judge, 70 internal error.

    Examples:

      leadtime check

      leadtime check --weeks 4 --format github --junit leadtime.xml

      leadtime check --ahead
    """,
    options=(
        WEEK,
        weeks("Judge each of the last N weeks.", high=520),
        Option(("--average",), "average", "flag", help="Judge the N weeks as one aggregate."),
        TARGET, TOLERANCE,
        Option(("--min-hours",), "min_hours", "float", help="Classified hours a week needs.",
               metavar="H"),
        Option(("--max-unclassified",), "max_unclassified", "float",
               help="Fail when more of the time than this is unclassified.", metavar="PCT"),
        TZ, CALENDAR, SOURCE,
        formats("text", "json", "github"),
        Option(("--junit",), "junit", "path", help="Write JUnit XML.", metavar="FILE"),
        FORCE,
        Option(("--ahead",), "ahead", "flag",
               help="Judge next week's plan (off track 1, at risk warns, 5 no data)."),
    ),
    panel="Reports", refresh=False,
)  # fmt: skip

PLAN = Command(
    ("plan",), "leadtime.cli.planning:plan",
    """The weeks ahead: planned split, free time, and what it must hold to land on target.

    By default the rest of this week and the next one. Reads what was imported; open-ended
    series reach as far as the import horizon.

    Examples:

      leadtime plan

      leadtime plan --weeks 3 --without "Roadmap sync"

      leadtime plan --weeks 4 --format html -o plan.html
    """,
    options=(
        WEEK,
        weeks("The rest of this week and the N weeks after it (default 1).", low=0, high=520),
        Option(("--without",), "without",
               help="Plan as if these were declined: a UID, or part of a title (repeatable).",
               metavar="TEXT|UID", many=True),
        TARGET, TOLERANCE, TZ,
        formats("table", "json", "markdown", "html"), OUTPUT, FORCE,
    ),
    panel="Reports", refresh=False,
)  # fmt: skip

RULES_SHOW = Command(
    ("rules", "show"), "leadtime.cli.rules:show",
    """The effective rules in the order they are tried, with where each comes from.

    Examples:

      leadtime rules show

      leadtime rules show --format json
    """,
    options=(formats("table", "json"),),
    refresh=False,
)  # fmt: skip

RULES_CHECK = Command(
    ("rules", "check"), "leadtime.cli.rules:check",
    """Validate a rules file without touching any data (exit 3 when it is bad).

    Example:

      leadtime rules check ~/.config/leadtime/rules.toml
    """,
    arguments=(
        Argument("file", "[FILE]", "A rules file (default: your rules.toml).", required=False,
                 kind="path"),
    ),
    refresh=False,
)  # fmt: skip

RULES_INIT = Command(
    ("rules", "init"), "leadtime.cli.rules:init",
    """Write a commented starter rules.toml into the config directory.

    Example:

      leadtime rules init
    """,
    options=(Option(("--force",), "force", "flag", help="Overwrite an existing rules file."),),
    refresh=False,
)  # fmt: skip

RULES_EXPLAIN = Command(
    ("rules", "explain"), "leadtime.cli.rules:explain",
    """Which rule decides an entry (or a title), why it matched, and what was tried before it.

    Examples:

      leadtime rules explain 97gr

      leadtime rules explain "Prototype the new parser"
    """,
    arguments=(Argument("target", "ID|TEXT", "An entry id, or a title to try."),),
)  # fmt: skip

RULES_COVERAGE = Command(
    ("rules", "coverage"), "leadtime.cli.rules:coverage",
    """The unclassified share and the titles carrying most of it, with rules to paste.

    Example:

      leadtime rules coverage --weeks 8
    """,
    options=(
        *PERIOD,
        Option(("--top",), "top", "int", help="How many titles to show.", metavar="N",
               default=10, low=1),
    ),
)  # fmt: skip

RULES_ADD = Command(
    ("rules", "add"), "leadtime.cli.rules:add",
    """Append a rule to your rules file without an editor: titles with any form of TEXT
    get CATEGORY. The file's comments and rules are kept; it is created when missing.

    Examples:

      leadtime rules add "design crit" leadership:review

      leadtime rules add "zahnarzt" other:personal
    """,
    arguments=(
        Argument("words", '"TEXT"', "Words a title must hold (any form)."),
        Argument("category", "CATEGORY[:ACTIVITY]"),
    ),
    refresh=False,
)  # fmt: skip

CONFIG_SHOW = Command(
    ("config", "show"), "leadtime.cli.settings:show",
    """Print the effective settings, where each value comes from, and where files live.

    Example:

      leadtime config show
    """,
    options=(Option(("--json",), "as_json", "flag", help="Machine-readable output."),),
    refresh=False,
)  # fmt: skip

CONFIG_SET = Command(
    ("config", "set"), "leadtime.cli.settings:set_",
    """Validate a value and write it to config.toml.

    Examples:

      leadtime config set timezone Europe/Berlin

      leadtime config set me dana@example.com,dana@corp.example
    """,
    arguments=(
        Argument("key", "KEY", "A setting, e.g. timezone, me, target."),
        Argument("value", "VALUE", "Lists (me) are comma-separated."),
    ),
    refresh=False,
)  # fmt: skip

CONFIG_UNSET = Command(
    ("config", "unset"), "leadtime.cli.settings:unset",
    """Remove a setting from config.toml, so that its default applies.

    Example:

      leadtime config unset target
    """,
    arguments=(Argument("key", "KEY"),),
    refresh=False,
)  # fmt: skip

EXPORT = Command(
    ("export",), "leadtime.cli.transfer:export",
    """Export every entry with every stored field (JSONL round-trips through 'restore').

    Examples:

      leadtime export -o backup.jsonl

      leadtime export --format csv > entries.csv
    """,
    options=(
        formats("jsonl", "csv"),
        Option(("--output", "-o"), "output", "path", help="Write here, not to standard output.",
               metavar="FILE"),
        FORCE,
    ),
    panel="Data",
)  # fmt: skip

RESTORE = Command(
    ("restore",), "leadtime.cli.transfer:restore",
    """Restore entries from an export; entries already present (same id) are kept as they are.

    Example:

      leadtime restore backup.jsonl
    """,
    arguments=(
        Argument("file", "FILE", "A file written by 'leadtime export' (JSONL), or -.",
                 kind="path"),
    ),
    panel="Data",
)  # fmt: skip

TEAM_WEEKS = weeks("The last N complete weeks (default 4).", high=520)
TEAM_URL = Option(("--url",), "url", help="The owner's address (default: the one 'team init' "
                  "remembered).", metavar="URL")  # fmt: skip

TEAM_INIT = Command(
    ("team", "init"), "leadtime.cli.team:init",
    """Create the team on a PostgreSQL database (once, as its owner); run again to upgrade.

    Creates the leadtime_team schema, the leadtime_member group role, row-level security
    and the report function; remembers the address (never the password) for team add and
    team remove.

    Examples:

      leadtime team init postgresql://admin@db.example.com/leads

      leadtime team init postgresql://admin@db.example.com/leads --min-group 7
    """,
    arguments=(Argument("url", "URL", "postgresql://OWNER@HOST/DATABASE"),),
    options=(
        # team.schema: MIN_GROUP_FLOOR, MIN_GROUP_CEILING, MIN_GROUP_DEFAULT (a test compares)
        Option(("--min-group",), "min_group", "int", metavar="N", low=3, high=1000,
               help="Fewest publishers a week needs to show numbers (new team: 5)."),
    ),
    refresh=False,
)  # fmt: skip

TEAM_ADD = Command(
    ("team", "add"), "leadtime.cli.team:add",
    """Add a member (the owner): grant leadtime_member to ROLE, creating it if needed.

    A new login role's password comes from standard input (--password-stdin) or is asked
    on a terminal; it is sent only as a SCRAM verifier, never echoed, printed or stored.

    Examples:

      leadtime team add dana

      printf '%s' "$PASSWORD" | leadtime team add lee --password-stdin
    """,
    arguments=(Argument("role", "ROLE", "An existing role, or a new one."),),
    options=(
        Option(("--password-stdin",), "password_stdin", "flag",
               help="A new role's password from standard input."),
        TEAM_URL,
    ),
    refresh=False,
)  # fmt: skip

TEAM_REMOVE = Command(
    ("team", "remove"), "leadtime.cli.team:remove",
    """Remove a member (the owner): delete every week ROLE published, revoke its membership.

    The login role itself stays (DROP ROLE removes it).

    Example:

      leadtime team remove dana --yes
    """,
    arguments=(Argument("role", "ROLE"),),
    options=(YES, TEAM_URL),
    refresh=False,
)  # fmt: skip

TEAM_JOIN = Command(
    ("team", "join"), "leadtime.cli.team:join",
    """Join a team as your role: checks the address, then remembers it (not the password).

    The password comes from LEADTIME_TEAM_PASSWORD, the system keyring (service
    leadtime-team:HOST, user ROLE) or a prompt on a terminal.

    Example:

      leadtime team join postgresql://dana@db.example.com/leads
    """,
    arguments=(Argument("url", "URL", "postgresql://ROLE@HOST/DATABASE"),),
    refresh=False,
)  # fmt: skip

TEAM_LEAVE = Command(
    ("team", "leave"), "leadtime.cli.team:leave",
    """Delete every week you published to the team, and forget the team.

    Example:

      leadtime team leave --yes
    """,
    options=(YES,),
    refresh=False,
)  # fmt: skip

TEAM_PUBLISH = Command(
    ("team", "publish"), "leadtime.cli.team:publish",
    """Send your complete weeks' aggregates to the team; a week sent again replaces itself.

    Sent per week: minutes per category and per activity, and the verdict. Never titles,
    notes, tags, times of day, calendars or sources. Weeks without enough data to judge
    are left out.

    Examples:

      leadtime team publish --dry-run

      leadtime team publish --weeks 12
    """,
    options=(
        TEAM_WEEKS,
        Option(("--dry-run",), "dry_run", "flag",
               help="Print the JSON that would be sent; send nothing."),
    ),
)  # fmt: skip

TEAM_REPORT = Command(
    ("team", "report"), "leadtime.cli.team:report",
    """The team's weeks: leads, median share (25th-75th percentile), verdicts, activity mix,
    and your own week beside them. A week with too few publishers shows no numbers.

    Examples:

      leadtime team report

      leadtime team report --weeks 12 --format json
    """,
    options=(TEAM_WEEKS, formats("table", "json", "markdown")),
    refresh=False,
)  # fmt: skip

GROUPS = (
    Group("calendars", "The remembered calendars and other sources: list, remove, rename.\n\n"
          "Examples:\n\n  leadtime calendars\n\n  leadtime calendars rm git:old-prototype --yes",
          "Calendars", default=CALENDARS),
    Group("rules", "Show, check, explain and tune the classification rules.\n\n"
          'Examples:\n\n  leadtime rules explain "Prototype the new parser"\n\n'
          "  leadtime rules coverage --weeks 8", "Setup"),
    Group("config", "Show and change settings (config.toml).\n\n"
          "Examples:\n\n  leadtime config show\n\n  leadtime config set timezone Europe/Berlin",
          "Setup"),
    Group("team", "Share your weekly split with a team of leads, privately, on PostgreSQL.\n\n"
          "Only aggregates leave this machine (minutes per category and activity, the "
          "verdict), and the database shows no number for a week with fewer publishers than "
          "the minimum group.\n\n"
          "Examples:\n\n  leadtime team join postgresql://dana@db.example.com/leads\n\n"
          "  leadtime team publish --weeks 12\n\n  leadtime team report", "Team"),
)  # fmt: skip

# In the order ``leadtime --help`` lists them, panel by panel.
COMMANDS = (
    LOG, START, STOP, STATUS, CANCEL,
    LS, DAY, EDIT, RM, CLASSIFY,
    IMPORT, CALENDARS_RM, CALENDARS_RENAME,
    REPORT, CHECK, PLAN,
    RULES_SHOW, RULES_CHECK, RULES_INIT, RULES_EXPLAIN, RULES_COVERAGE, RULES_ADD,
    CONFIG_SHOW, CONFIG_SET, CONFIG_UNSET,
    EXPORT, RESTORE,
    TEAM_INIT, TEAM_ADD, TEAM_REMOVE, TEAM_JOIN, TEAM_LEAVE, TEAM_PUBLISH, TEAM_REPORT,
)  # fmt: skip

BY_WORDS: dict[tuple[str, ...], Command] = {c.words: c for c in (*COMMANDS, CALENDARS)}
GROUP_BY_WORD: dict[str, Group] = {g.word: g for g in GROUPS}
