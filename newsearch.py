"""The newsearch command line: a thin shell over index/, search/ and web/.

Each command parses its options, calls the library, and prints. Library errors become
``click.ClickException`` (``Error: …`` and exit status 1). A command loads only the side it uses
(``reindex`` never the read side, ``query`` never the write side), so each starts fast.
"""

import contextlib
import html
import json
import os
import re
import sys
import time

import click

import index
import index.store

DEFAULT_INDEX = os.environ.get("NEWSEARCH_INDEX_DIR", "var/index")


def index_dir_option(fn):
    return click.option(
        "--index",
        "index_dir",
        default=DEFAULT_INDEX,
        show_default=True,
        type=click.Path(file_okay=False),
        help="Index folder (or set NEWSEARCH_INDEX_DIR).",
    )(fn)


@click.group()
@click.version_option(package_name="newsearch")
def cli():
    """Search archives of scraped news articles by words, named figures and dates."""
    _safe_output()


def _safe_output():
    """Never die printing: a character the terminal's encoding lacks is printed as ``?``."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="replace")


def dask_option(fn):
    return click.option(
        "--dask", metavar="tcp://HOST:8786", default=None,
        help="Extract on the Dask cluster whose scheduler is at this address (needs newsearch[dask] here "
             "and on the workers; see the README). This machine still reads the files and writes the index.",
    )(fn)


def _extraction_pool(address, workers):
    """A context giving what to pass as ``workers``: the count, or with ``address`` an open Dask pool
    (:mod:`index.dask_extraction`, which imports Dask only then)."""
    if not address:
        return contextlib.nullcontext(workers)
    if workers is not None:
        raise click.UsageError("--workers and --dask cannot be used together (the cluster's workers extract)")
    from index.dask_extraction import DaskExtraction
    from index.dask_extraction import log_without_tracebacks

    log_without_tracebacks()
    return DaskExtraction(address)


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path())
@index_dir_option
@click.option("--full", is_flag=True, help="Rebuild from scratch aside, then switch atomically.")
@click.option("--workers", type=click.IntRange(0, 64), default=None,
              help="Extraction processes (default: one per CPU; 0 = none).")
@dask_option
def reindex(sources, index_dir, full, workers, dask):
    """Index the text dumps, HTML pages and JSON Lines under SOURCES.

    Incremental by default: only new, changed and deleted files are touched.

    Example:

        newsearch reindex sample/ --index var/index

        newsearch reindex /archive --index var/index --dask tcp://10.0.0.5:8786
    """
    from index.dask_extraction import DaskError  # Dask itself is imported only with --dask
    from index.dask_extraction import DaskUnavailable

    progress = _BarProgress() if sys.stderr.isatty() else _LineProgress()
    try:
        with _extraction_pool(dask, workers) as pool:
            report = index.reindex(sources, index_dir, full=full, progress=progress, workers=pool)
    except (FileNotFoundError, index.ReindexRunning, index.IndexIncompatible, index.IndexBroken) as e:
        raise click.ClickException(str(e))
    except DaskUnavailable as e:
        raise click.ClickException(f"{e} (nothing was done)") from None
    except DaskError as e:
        raise click.ClickException(f"{e}; the index is as it was before this run") from None
    except OSError as e:
        raise click.ClickException(f"cannot write the index in {index_dir}: {e.strerror or e}"
                                   " (the previous index is untouched)")
    except Exception as e:
        raise _damaged(e, index_dir) from e
    finally:
        progress.finish()
    _print_report(report)


def _damaged(error, index_dir):
    """``error`` as a clear message when it comes from a damaged index file (else as it is)."""
    if not index.store.is_damage(error):
        return error
    return click.ClickException(str(index.store.broken(index_dir, error)))


def _print_report(report):
    if not (report.changed or report.skipped or report.repaired) and report.mode == "incremental":
        click.echo(f"Nothing to do: the index is up to date ({_nothing_changed(report)}).")
    else:
        click.echo(f"{report.mode.capitalize()} reindex done in {report.seconds:.1f} s: "
                   f"{report.added:,} added, {report.updated:,} updated, {report.deleted:,} deleted, "
                   f"{report.unchanged:,} read again and unchanged, {len(report.skipped):,} skipped; "
                   f"{report.documents:,} articles in the index.")
        done = report.added + report.updated
        if done:
            click.echo(f"  extraction: {report.extract_cpu_seconds:.1f} CPU-s "
                       f"({_rate(done, report.extract_cpu_seconds)} articles/CPU-s); "
                       f"writing: {report.write_seconds:.1f} s ({_rate(done, report.write_seconds)} articles/s)")
    for note in report.notes:
        click.echo(f"Note: {note}")
    _print_listing("Skipped", report.skipped)
    _print_listing("Repaired", report.repaired)


def _print_listing(title, listing, shown=50):
    """The first ``shown`` entries of a :class:`~index.report.Listing`, and counts of the rest by kind."""
    if not listing:
        return
    click.echo(f"{title} {len(listing):,}:")
    for entry in listing[:shown]:
        click.echo(f"  {entry.where}: {entry.reason}")
    if len(listing) > shown:
        kinds = "; ".join(f"{kind}: {n:,}" for kind, n in listing.kinds.most_common(10))
        click.echo(f"  … and {len(listing) - shown:,} more (all {len(listing):,} by reason: {kinds})")


def _nothing_changed(report) -> str:
    """What a run that changed nothing looked at: files skipped as unchanged, files read again."""
    parts = [f"{report.documents:,} articles"]
    if report.files_unchanged:
        parts.append(f"{report.files_unchanged:,} files unchanged since the last run, not read")
    if report.files_read:
        parts.append(f"{report.files_read:,} files read again, their {report.unchanged:,} articles unchanged")
    return "; ".join(parts)


def _rate(n, seconds):
    return f"{n / seconds:,.0f}" if seconds > 0 else "—"


class _BarProgress:
    """A progress bar on the terminal (the calls of :class:`index.build.Progress`)."""

    def __init__(self):
        self.bar = None

    def start(self, total):
        self.bar = click.progressbar(length=max(total, 1), label="Indexing", file=sys.stderr,
                                     show_pos=True, show_eta=True)
        self.bar.__enter__()

    def advance(self, n=1):
        self.bar.update(n)

    def finish(self):
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


class _LineProgress:
    """Progress as a line every few seconds, for logs (the calls of :class:`index.build.Progress`)."""

    def __init__(self):
        self.total = self.done = 0
        self.last = time.monotonic()

    def start(self, total):
        self.total = total

    def advance(self, n=1):
        self.done += n
        if time.monotonic() - self.last > 5:
            self.last = time.monotonic()
            click.echo(f"Indexing: {self.done:,}/{self.total:,}", err=True)

    def finish(self):
        pass


@cli.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@dask_option
def extract(paths, dask):
    """Print what would be indexed from PATHS, one JSON object per article, without touching any index.

    Example:

        newsearch extract sample/ | head -c 600
    """
    from index.dask_extraction import DaskError  # Dask itself is imported only with --dask

    try:
        with _extraction_pool(dask, None) as pool:
            for outcome in index.extract_articles(paths, workers=pool):
                if isinstance(outcome, index.Skipped):
                    click.echo(f"skipped {outcome.where}: {outcome.reason}", err=True)
                else:
                    click.echo(json.dumps(outcome.to_json(), ensure_ascii=False))
    except FileNotFoundError as e:
        raise click.ClickException(str(e))
    except DaskError as e:
        raise click.ClickException(str(e)) from None


#: The repeatable filters of ``newsearch query``: (option, search parameter, help). A filter the search
#: understands is one more line here.
QUERY_FILTERS = [
    ("--figure", "figure", "Only articles naming this figure (repeatable: all of them)."),
    ("--year", "year", "Only articles from this year, or 'undated' (repeatable: any of them)."),
    ("--month", "month", "Only articles from this month, YYYY-MM (repeatable: any of them)."),
    ("--day", "day", "Only articles from this day, YYYY-MM-DD (repeatable: any of them)."),
    ("--source", "source", "Only articles from this source (repeatable: any of them)."),
    ("--language", "language", "Only articles in this language, an ISO 639-1 code such as de "
                               "(repeatable: any of them)."),
]


def query_filter_options(fn):
    """One repeatable option per :data:`QUERY_FILTERS` row, passed as ``filters={param: values}``."""
    for option, param, text in reversed(QUERY_FILTERS):
        fn = click.option(option, param, multiple=True, help=text)(fn)
    return fn


@cli.command()
@click.argument("text", default="")
@index_dir_option
@query_filter_options
@click.option("--from", "date_from", help="Published on or after YYYY-MM-DD.")
@click.option("--to", "date_to", help="Published on or before YYYY-MM-DD.")
@click.option("--sort", type=click.Choice(["relevance", "newest", "oldest"]), default="relevance")
@click.option("--page", default="1", help="Result page, from 1.")
@click.option("--per-page", default="10", help="Hits per page (at most 100).")
@click.option("--json", "as_json", is_flag=True, help="Print the JSON the API would return.")
@click.option("--format", "fmt", type=click.Choice(["csv", "jsonl"]), default=None,
              help="Print every hit (all pages) as CSV or JSON Lines instead.")
@click.option("--strict", is_flag=True,
              help="Fail on text that is not valid query syntax (default: search its plain words).")
def query(text, index_dir, date_from, date_to, sort, page, per_page, as_json, fmt, strict, **filters):
    """Search the index from the terminal.

    Example:

        newsearch query "rzhev memorial" --figure "Igor Rudeni"

        newsearch query oil --source reuters --month 1987-03 --sort oldest

        newsearch query Förderung --language de

        newsearch query oil --sort newest --format csv > oil.csv
    """
    import search

    params = {"q": [text], "from": [date_from or ""], "to": [date_to or ""], "sort": [sort], "page": [page],
              "per_page": [per_page], **{param: list(values) for param, values in filters.items()},
              "syntax": ["strict" if strict else "lenient"]}
    service = search.SearchService(index_dir)
    try:
        req = search.SearchRequest.from_params(params)
        if fmt:
            for line in search.export_lines(service, req, fmt):
                click.echo(line, nl=False)
            return
        result = search.search(service, req)
    except (search.BadQuery, search.BadRequest, search.IndexMissing, search.IndexIncompatible,
            search.IndexBroken) as e:
        raise click.ClickException(str(e))
    except Exception as e:
        raise _damaged(e, index_dir) from e
    finally:
        service.close()
    if as_json:
        click.echo(json.dumps(result.to_json(), ensure_ascii=False, indent=2))
    else:
        _print_result(result)


def _print_result(result):
    from index.hygiene import one_line

    click.echo(f"{result.total:,} articles ({result.took_ms:.0f} ms)"
               + (f"; did you mean: {result.suggestion}" if result.suggestion else ""))
    for warning in result.warnings:
        click.echo(f"warning: {warning}")
    for n, hit in enumerate(result.hits, start=(result.request.page - 1) * result.request.per_page + 1):
        click.echo()
        click.echo(click.style(f"{n}. {hit['title'] or one_line(hit['id'])}", bold=True))
        # Ids and sources are shown as stored: never let one move the cursor or recolour the terminal.
        click.echo(f"   {hit['date'] or hit['year'] or 'undated'} · {one_line(hit['source'] or '')} · "
                   f"{one_line(hit['id'])}")
        click.echo(f"   {_terminal(hit['snippet'])}")
        if hit["figures"]:
            click.echo(f"   figures: {', '.join(hit['figures'])}")


def _terminal(snippet_html):
    marked = re.sub(r"<mark[^>]*>(.*?)</mark>", lambda m: click.style(m[1], bold=True, underline=True),
                    snippet_html)
    return html.unescape(marked)


@cli.command()
@index_dir_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (127.0.0.1: this machine only).")
@click.option("--port", default=5000, show_default=True, type=click.IntRange(1, 65535))
@click.option("--workers", default=None, type=click.IntRange(1, 64),
              help="Server processes (default: one per CPU).")
@click.option("--threads", default=4, show_default=True, type=click.IntRange(1, 64),
              help="Threads per server process.")
def serve(index_dir, host, port, workers, threads):
    """Serve the search page and the JSON API with a production WSGI server (gunicorn).

    Example:

        newsearch serve --index var/index --port 5000
    """
    from web.server import run

    index_dir = os.path.abspath(index_dir)
    try:
        gen, ix = index.store.open_current(index_dir)
        index.store.open_searcher(ix, gen).close()
    except index.IndexMissing:
        raise click.ClickException(f"no index in {index_dir}: run `newsearch reindex SOURCE... --index "
                                   f"{index_dir}` first") from None
    except (index.IndexIncompatible, index.IndexBroken) as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Serving {index_dir} on http://{host}:{port}/ (Ctrl-C to stop)")
    run(index_dir, host, port, workers or os.cpu_count() or 1, threads)


if __name__ == "__main__":
    cli()
