"""Where a page load's time goes: a Chrome trace (Playwright's browser.start_tracing) summed up per kind of work.

Used by bench/offline.py --trace PATH: one more routine page is opened offline while Chromium traces, after the
measured ones (tracing slows the page, so it never touches the figures). The summary covers the renderer's main
thread and the service worker's thread from navigation start to the end of the load event.
"""
import json
from collections import defaultdict
from pathlib import Path

CATEGORIES = ["devtools.timeline", "disabled-by-default-devtools.timeline", "blink.user_timing", "loading", "v8",
              "v8.execute", "navigation", "blink", "ServiceWorker"]

# Trace event names grouped into what a reader of the summary cares about.
KINDS = {
    "ParseHTML": "parse HTML",
    "ParseAuthorStyleSheet": "parse CSS",
    "v8.compile": "compile JS", "v8.compileModule": "compile JS", "V8.CompileCode": "compile JS",
    "v8.produceModuleCache": "compile JS", "v8.parseOnBackground": "compile JS",
    "EvaluateScript": "run JS", "v8.evaluateModule": "run JS", "FunctionCall": "run JS", "EventDispatch": "run JS",
    "TimerFire": "run JS", "FireAnimationFrame": "run JS", "RunMicrotasks": "run JS", "v8.run": "run JS",
    "UpdateLayoutTree": "style", "RecalculateStyles": "style",
    "Layout": "layout",
    "PrePaint": "paint", "Paint": "paint", "Layerize": "paint", "UpdateLayer": "paint", "CompositeLayers": "paint",
    "Commit": "paint",
    "ResourceSendRequest": "network bookkeeping", "ResourceReceiveResponse": "network bookkeeping",
    "ResourceFinish": "network bookkeeping", "ResourceReceivedData": "network bookkeeping",
    "Frame::Detach": "tearing down the previous page", "LocalWindowProxy::Initialize": "a new JS context",
    "GCEvent": "garbage collection", "MinorGC": "garbage collection", "MajorGC": "garbage collection",
    "V8.GC_SCAVENGER": "garbage collection", "BlinkGC.AtomicPhase": "garbage collection",
}
# Marks the trace alone has; the others come from the page's navigation timing entry (see summarise).
PAINT_MARKS = ["firstPaint", "firstContentfulPaint"]
NAVIGATION_MARKS = [("response", "responseEnd"), ("interactive", "domInteractive"), ("dcl", "domContentLoadedEventEnd"),
                    ("load", "loadEventEnd")]


def thread_names(events: list[dict]) -> dict[tuple[int, int], str]:
    return {(e["pid"], e["tid"]): e["args"]["name"] for e in events
            if e.get("ph") == "M" and e.get("name") == "thread_name"}


def top_level(events: list[dict]) -> list[dict]:
    """Complete events that are not inside another complete event of the same thread (no double counting)."""
    chosen, ends = [], {}
    for event in sorted((e for e in events if e.get("ph") == "X" and "dur" in e), key=lambda e: (e["ts"], -e["dur"])):
        thread = (event["pid"], event["tid"])
        if event["ts"] >= ends.get(thread, -1):
            chosen.append(event)
            ends[thread] = event["ts"] + event["dur"]
    return chosen


def nested_by_kind(events: list[dict], outer: list[dict]) -> dict[str, float]:
    """Milliseconds per kind of work, each top-level task split by the kinds found directly inside it."""
    totals = defaultdict(float)
    by_thread = defaultdict(list)
    for event in events:
        if event.get("ph") == "X" and "dur" in event and event.get("name") in KINDS:
            by_thread[(event["pid"], event["tid"])].append(event)
    for task in outer:
        inner = [e for e in by_thread[(task["pid"], task["tid"])]
                 if task["ts"] <= e["ts"] and e["ts"] + e["dur"] <= task["ts"] + task["dur"]]
        claimed = 0.0
        for event in top_level(inner):
            totals[KINDS[event["name"]]] += event["dur"] / 1000
            claimed += event["dur"]
        if task.get("name") in KINDS and not inner:
            totals[KINDS[task["name"]]] += task["dur"] / 1000
        else:
            totals["other (task overhead, IPC, loading)"] += max(0.0, task["dur"] - claimed) / 1000
    return dict(totals)


def traced_navigation(events: list[dict], main_threads: set) -> dict | None:
    """The navigation the trace was taken for: the last navigationStart of a document with a URL.

    The new page's frame first holds an initial empty document, whose own navigationStart, responseEnd,
    domInteractive and DOMContentLoaded come a few ms after the real navigationStart (documentLoaderURL "").
    """
    starts = [e for e in events if e.get("name") == "navigationStart" and (e["pid"], e["tid"]) in main_threads
              and e.get("args", {}).get("data", {}).get("documentLoaderURL")]
    return max(starts, key=lambda e: e["ts"]) if starts else None


def summarise(path: Path, timing: dict | None = None) -> list[str]:
    """Lines of text: the load's marks and the busy time per thread and kind of work.

    timing is the page's navigation timing entry for the traced load (ms from navigation start: response,
    interactive, dcl, load), as the bench measures it; the paint marks come from the trace, matched to the
    traced navigation by its id.
    """
    document = json.loads(path.read_text())
    events = document["traceEvents"] if isinstance(document, dict) else document
    names = thread_names(events)
    main_threads = {thread for thread, name in names.items() if name == "CrRendererMain"}
    navigation = traced_navigation(events, main_threads)
    if navigation is None:
        return ["(no navigation in the trace)"]
    start, navigation_id = navigation["ts"], navigation["args"]["data"].get("navigationId")
    marks = {name: min((e["ts"] for e in events if e.get("name") == name
                        and e.get("args", {}).get("data", {}).get("navigationId") == navigation_id), default=None)
             for name in PAINT_MARKS}
    marks = {name: (ts - start) / 1000 for name, ts in marks.items() if ts is not None}
    if timing:
        marks |= {name: timing[key] for key, name in NAVIGATION_MARKS}
    load_ends = [e["ts"] for e in events if e.get("name") == "loadEventEnd" and e["ts"] >= start]
    end = start + timing["load"] * 1000 if timing else max(load_ends, default=max(e.get("ts", 0) for e in events))
    lines = ["   marks, ms after navigation start: " + ", ".join(
        f"{name} {ms:.0f}" for name, ms in sorted(marks.items(), key=lambda item: item[1]))]
    window = [e for e in events if start <= e.get("ts", 0) <= end]
    for thread, name in sorted(names.items(), key=lambda item: item[1]):
        # The worker's thread is "ServiceWorker thread" in Chromium 156 ("ServiceWorkerThread" before).
        if name != "CrRendererMain" and not name.startswith(("ServiceWorker", "DedicatedWorker")):
            continue
        outer = [e for e in top_level([e for e in window if (e["pid"], e["tid"]) == thread])
                 if e.get("name") in ("RunTask", "ThreadControllerImpl::RunTask") or e.get("name") in KINDS]
        busy = sum(e["dur"] for e in outer) / 1000
        if busy < 0.5:
            continue
        # Thread time: what the thread itself ran, without the time it waited for a CPU on a busy machine
        # (the page's 4× throttling pauses the thread, so it is not in this figure either).
        cpu = sum(e.get("tdur", e["dur"]) for e in outer) / 1000
        kinds = nested_by_kind(window, outer)
        parts = ", ".join(f"{kind} {ms:.1f}" for kind, ms in sorted(kinds.items(), key=lambda item: -item[1])
                          if ms >= 0.5)
        lines.append(f"   {name} (pid {thread[0]}): busy {busy:.1f} ms of {(end - start) / 1000:.0f} "
                     f"(thread time {cpu:.1f}) — {parts}")
    return lines
