"""A study's report in markdown: the data and its leak checks, the leaderboard over seeds, which
differences are real, and how every number was chosen. Lesson 08 writes one for your own data."""
from __future__ import annotations

from typing import Sequence

from .bootstrap import PairedDifference
from .leaderboard import format_table, summarise

__all__ = ["difference_label", "format_differences", "study_report"]

#: The leaderboard columns a report shows (accuracies, then the protocol's cost).
REPORT_METRICS = ("zsl", "u", "s", "h", "h_cal", "fit_seconds")


def difference_label(key: tuple) -> str:
    """A ``(method, kind)`` key of :func:`compare_h` as text: ``"ESZSL"`` or ``"ESZSL, calibrated"``."""
    return key[0] + (", calibrated" if key[1] == "h_cal" else "")


def format_differences(diffs: Sequence[PairedDifference], n_boot: int) -> str:
    """A markdown table of :func:`compare_h` rows: A − B in points, its interval, p raw and Holm-adjusted."""
    floor = 1 / n_boot  # no replicate crossed 0: a bootstrap of n_boot replicates can only say p is at most this

    def p_text(p: float) -> str:
        return f"≤ {floor:.4f}" if p <= floor else f"{p:.4f}"

    lines = ["| H of | minus H of | difference (points) | 95% interval | p | p, Holm | real? |",
             "|---|---|---:|---:|---:|---:|---|"]
    for d in diffs:
        lines.append(f"| {difference_label(d.a)} | {difference_label(d.b)} | {100 * d.diff:+.1f} | [{100 * d.low:+.1f}, "
                     f"{100 * d.high:+.1f}] | {p_text(d.p)} | {p_text(d.p_holm)} | "
                     f"{'yes' if d.real else 'no: a tie'} |")
    return "\n".join(lines)


def _what_a_seed_varies(ds) -> str:
    args = ds.extras.get("split_args")
    if args is None:
        return "- A seed varies every method's randomness, and whatever the dataset of that seed redraws."
    val = "keeps the validation classes as named" if args["val"] is not None else "redraws the validation classes"
    return (f"- A seed varies every method's randomness, redraws the seen classes' held-back test samples and {val}; "
            "the unseen classes stay the same.")


def study_report(ds, results: Sequence, diffs: Sequence[PairedDifference] | None = None, *,
                 n_boot: int | None = None, title: str | None = None) -> str:
    """The markdown report of a study of ``ds``: ``results`` from ``leaderboard`` (any seeds), and
    optionally the paired differences of ``compare_h`` with the ``n_boot`` of their bootstrap."""
    from .. import __version__

    if not results:
        raise ValueError("study_report needs the results of at least one method (evaluation.leaderboard).")
    if diffs and n_boot is None:
        raise ValueError("study_report: pass n_boot=, the number of bootstrap replicates behind diffs.")
    seeds = sorted({int(r.seed) for r in results})
    seen, unseen = ds.names(ds.seen_classes), ds.names(ds.unseen_classes)
    files = ds.extras.get("files", {})
    aux = ds.extras.get("aux")
    aux_text = (f"{ds.S.shape[1]} attributes ({', '.join(ds.aux_names[:6])}{', …' if ds.S.shape[1] > 6 else ''})"
                if ds.aux_names else f"{ds.S.shape[1]}-d vectors" + (" (class descriptions embedded with MiniLM)"
                                                                     if aux == "description" else ""))
    lines = [f"# {title or 'Zero-shot study: ' + ds.name}", "",
             f"Written by zsl_tutorial {__version__}. Accuracies are per-class top-1, in %.", "", "## Data", ""]
    for what, (fname, digest) in files.items():
        lines.append(f"- {what}: `{fname}` (sha256 {digest[:12]}…)")
    lines += [f"- {len(ds.X):,} samples of {ds.X[0].size} features; {ds.n_classes} classes; auxiliary information: "
              f"{aux_text}",
              f"- seen ({len(seen)}): {', '.join(seen)}",
              f"- unseen ({len(unseen)}): {', '.join(unseen)}; chance in conventional ZSL is "
              f"{100 / len(unseen):.1f}%",
              "", "## Leak checks", ""]
    lines += [f"- {'✓' if ok else '✗'} {what}" for what, ok in ds.leakage_report()]
    if ds.aux_names:  # named attributes only: a range per embedding dimension says nothing a reader can act on
        from ..diagnostics import outside_seen_range

        out = outside_seen_range(ds)
        lines += ["", "## Attribute values no seen class shows", ""]
        lines += ([f"- {o.class_name}: {o.column} = {o.value:g}, seen range [{o.seen_min:g}, {o.seen_max:g}]"
                   for o in out] or ["- none: every unseen value lies inside the seen classes' range"])
    lines += ["", f"## Results: mean ± std over {len(seeds)} seed(s) ({', '.join(map(str, seeds))})", "",
              format_table(summarise(results, REPORT_METRICS), REPORT_METRICS)]
    if diffs:
        real = [d for d in diffs if d.real]
        lines += ["", "## Which differences are real", "",
                  f"Paired bootstrap, {n_boot:,} replicates: the seeds with replacement, then the test samples "
                  f"within each class; p-values Holm-adjusted over the {len(diffs)} comparisons.", "",
                  format_differences(diffs, n_boot), "",
                  f"Real after Holm's correction: {len(real)} of {len(diffs)}."]
    lines += ["", "## How the numbers were chosen", "",
              "- Hyper-parameters: on validation classes, seen classes held out from training and disjoint from the "
              "test classes (`evaluation.evaluate`). The unseen test classes were never looked at.",
              "- Calibrated stacking: γ from a GZSL rehearsal inside the seen classes.",
              _what_a_seed_varies(ds)]
    if len(seeds) < 3:
        lines.append(f"- Only {len(seeds)} seed(s): the ± and the intervals are not reliable; use at least 3.")
    return "\n".join(lines) + "\n"
